// The campaign runner: claim (committed) → send on the pool → record, woken by NOTIFY wfa_dial or a one-second tick.
#include "commands/campaign/campaign_dispatch.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/notification>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/calls/call_started.hpp"
#include "commands/campaign/dial_rules.hpp"
#include "commands/integration/integration_access.hpp"
#include "commands/number/number_rules.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

using json = nlohmann::json;

/// Claimed is one attempt committed and not yet sent.
struct Claimed {
  OutboundCall call;
  std::int64_t recipient_id = 0;
};

/// Sent is what the provider said to one attempt.
struct Sent {
  std::string attempt_id, to, from_number;
  /// withdrawn: never sent (the dispatcher stopped first); not_sent: never reached the provider (no connection, an
  /// open circuit). Like a refusal, neither is an attempt.
  enum class Kind { started, refused, withdrawn, not_sent, failed, uncertain } kind = Kind::started;
  std::string provider_call_id, error;
  std::optional<int> account_limit;  ///< the account's concurrency limit the provider reported with the call
};

/// CampaignState is what one step reads of the campaign, its agent and its caller ids.
struct CampaignState {
  std::string workspace_id, workspace, partner_id, status, provider, agent_external_id, pause_reason;
  std::vector<std::string> from_numbers;
  int max_concurrent = 10, calls_per_minute = 60;
  bool started = false, over = false, waiting = false;  ///< past its start, past its end, recipients not finished
};

/// Sender runs the provider requests of claimed attempts on its threads and collects the answers.
class Sender {
 public:
  Sender(unsigned threads, std::function<Sent(const Claimed&)> send) : send_(std::move(send)) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this] { loop(); });
  }
  ~Sender() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  void push(std::vector<Claimed> items) {
    {
      std::lock_guard lock(mutex_);
      for (auto& item : items) queue_.push_back(std::move(item));
      busy_ += items.size();
    }
    ready_.notify_all();
  }
  /// withdraw takes back the attempts no thread has started sending.
  std::vector<Claimed> withdraw() {
    std::lock_guard lock(mutex_);
    std::vector<Claimed> out(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
    queue_.clear();
    busy_ -= out.size();
    return out;
  }
  /// take hands over the answers so far.
  std::vector<Sent> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(done_, {});
  }
  /// wait_take hands over the answers so far, waiting up to WAIT for the first.
  std::vector<Sent> wait_take(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    answered_.wait_for(lock, wait, [&] { return !done_.empty(); });
    return std::exchange(done_, {});
  }
  /// pending counts attempts sent or queued whose answer has not been taken.
  std::size_t pending() {
    std::lock_guard lock(mutex_);
    return busy_ + done_.size();
  }

 private:
  void loop() {
    for (;;) {
      Claimed item;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      auto answer = send_(item);
      {
        std::lock_guard lock(mutex_);
        done_.push_back(std::move(answer));
        --busy_;
      }
      answered_.notify_one();
    }
  }
  std::function<Sent(const Claimed&)> send_;
  std::mutex mutex_;
  std::condition_variable ready_, answered_;
  std::deque<Claimed> queue_;
  std::vector<Sent> done_;
  std::size_t busy_ = 0;
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

std::int64_t epoch(Instant at) { return at.time_since_epoch().count(); }

/// array_literal is a PostgreSQL array literal of ITEMS, which hold no quotes, braces, commas or spaces.
template <class T>
std::string array_literal(const std::vector<T>& items) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    if constexpr (std::is_arithmetic_v<T>)
      out += std::to_string(item);
    else
      out += item;
  }
  return out + "}";
}

/// text_array reads a PostgreSQL text[] of plain items.
std::vector<std::string> text_array(const std::string& literal) {
  std::vector<std::string> out;
  std::string item;
  for (char c : literal.substr(1, literal.size() - 2)) {
    if (c == ',') {
      out.push_back(std::move(item));
      item.clear();
    } else if (c != '"') {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(std::move(item));
  return out;
}

/// read_campaign locks CAMPAIGN_ID's row and reads it as of AT (epoch seconds); with SKIP_LOCKED it returns nothing
/// while another transaction holds that lock (another dispatcher of the campaign is claiming).
std::optional<CampaignState> read_campaign(pqxx::transaction_base& tx, const std::string& campaign_id, std::int64_t at,
                                           bool skip_locked = false) {
  auto rows = tx.exec_params(
      "SELECT c.workspace_id, p.slug || '/' || w.slug, w.partner_id, c.status, COALESCE(a.provider, ''),"
      " COALESCE(a.external_agent_id, ''), COALESCE(c.pause_reason, ''), c.from_numbers::text, c.max_concurrent,"
      " c.calls_per_minute, c.starts_at IS NOT NULL AND c.starts_at <= to_timestamp($2), c.ends_at IS NOT NULL AND"
      " c.ends_at <= to_timestamp($2), EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.workspace_id ="
      " c.workspace_id AND r.campaign_id = c.id AND r.status IN ('pending', 'queued', 'calling')) FROM campaigns c"
      " JOIN workspaces w ON w.id = c.workspace_id JOIN partners p ON p.id = w.partner_id LEFT JOIN ai_agents a ON"
      " a.workspace_id = c.workspace_id AND a.id = c.agent_id AND a.deleted_at IS NULL WHERE c.id = $1::uuid FOR"
      " UPDATE OF c" +
          std::string(skip_locked ? " SKIP LOCKED" : ""),
      campaign_id, at);
  if (rows.empty() && skip_locked &&
      !tx.exec_params("SELECT 1 FROM campaigns WHERE id = $1::uuid", campaign_id).empty())
    return std::nullopt;
  if (rows.empty()) throw NotFoundError("campaign " + campaign_id + " is gone");
  const auto& r = rows[0];
  CampaignState s{
      r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
      r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::string>(), text_array(r[7].as<std::string>()),
      r[8].as<int>(),         r[9].as<int>()};
  s.started = r[10].as<bool>();
  s.over = r[11].as<bool>();
  s.waiting = r[12].as<bool>();
  return s;
}

/// move_status moves the campaign to TO (from FROM) with an audit entry by ACTOR; WHY goes into pause_reason.
void move_status(pqxx::dbtransaction& tx, const std::string& actor, const std::string& campaign_id,
                 const CampaignState& c, const std::string& to, const std::string& why = "") {
  tx.exec_params(
      "UPDATE campaigns SET status = $2, status_changed_at = now(), pause_reason = NULLIF($3, '') WHERE id = $1::uuid",
      campaign_id, to, why);
  json after{{"status", to}};
  if (!why.empty()) after["pause_reason"] = why;
  auto verb = to == "running" ? "start" : to == "completed" ? "complete" : to == "expired" ? "expire" : to;
  record_audit(tx, {actor, "campaign." + std::string(verb), "campaign", campaign_id, c.partner_id, c.workspace_id,
                    json{{"status", c.status}}.dump(), after.dump(), json{{"by", "dispatcher"}}.dump()});
}

/// notify_insufficient_credit tells the workspace's Telegram groups that CAMPAIGN stopped for credit.
void notify_insufficient_credit(pqxx::transaction_base& tx, const std::string& campaign_id) {
  tx.exec_params(
      "INSERT INTO notifications (partner_id, chat_id, workspace_id, text) SELECT w.partner_id, g.chat_id, w.id,"
      " 'Campaign ' || c.name || ' is paused: the credit of ' || w.name || ' does not cover another call. Top up,"
      " then resume it.' FROM campaigns c JOIN workspaces w ON w.id = c.workspace_id JOIN telegram_groups g ON"
      " g.workspace_id = w.id AND g.bot_status IS DISTINCT FROM 'left' AND g.bot_status IS DISTINCT FROM 'kicked'"
      " JOIN telegram_bots b ON b.partner_id = w.partner_id WHERE c.id = $1::uuid",
      campaign_id);
}

/// end_attempts ends the live attempts IDS (uuid[] literal) at AT with OUTCOME; their recipients follow the
/// campaign's retry policy for it, by the merge's own rule (wfa_settle_attempt_recipients).
void end_attempts(pqxx::transaction_base& tx, const std::string& workspace_id, const std::string& ids, Instant at,
                  const std::string& outcome) {
  auto ended = tx.exec_params(
      "WITH e AS (UPDATE call_attempts a SET ended_at = to_timestamp($3), outcome = $4 WHERE a.workspace_id = $1::uuid"
      " AND a.id = ANY ($2::uuid[]) AND a.ended_at IS NULL RETURNING a.workspace_id, a.id) SELECT"
      " COALESCE(array_agg(workspace_id)::text, '{}'), COALESCE(array_agg(id)::text, '{}') FROM e",
      workspace_id, ids, epoch(at), outcome)[0];
  tx.exec_params("SELECT wfa_settle_attempt_recipients($1::uuid[], $2::uuid[])", ended[0].as<std::string>(),
                 ended[1].as<std::string>());
}

/// Dispatcher is one dispatch_campaign run.
class Dispatcher {
 public:
  Dispatcher(Session& session, std::string campaign_id, const DispatchSettings& settings)
      : session_(session), campaign_id_(std::move(campaign_id)), settings_(settings) {}

  DispatchSummary run() {
    auto& db = session_.database();
    db.ready();
    listener_ = db.open_another();
    pqxx::nontransaction(*listener_).exec("LISTEN wfa_dial");
    open_client();
    Sender sender(settings_.senders, [this](const Claimed& item) { return send(item); });
    // Answers are recorded on a thread and connection of their own: recording waits for the calls' merge lock, and
    // claims must not wait with it.
    std::atomic<bool> stop_recording{false}, recorder_failed{false};
    std::exception_ptr recorder_failure;
    auto recording = db.open_another();
    std::thread recorder([&] {
      try {
        while (!stop_recording) record(*recording, sender.wait_take(std::chrono::milliseconds(100)));
      } catch (...) {
        recorder_failure = std::current_exception();
        recorder_failed = true;
      }
    });
    auto started = std::chrono::steady_clock::now();
    auto last_progress = started - std::chrono::seconds(2);
    auto last_reconcile = started - std::chrono::seconds(10);
    std::string ended;
    for (;;) {
      if (recorder_failed) break;
      if (session_.cancellation().cancelled()) {
        ended = "interrupted";
        if (settings_.pause_on_interrupt) pause("interrupted");
        break;
      }
      if (settings_.run_for && std::chrono::steady_clock::now() - started >= *settings_.run_for) {
        ended = "time_up";
        break;
      }
      auto now = std::chrono::steady_clock::now();
      if (now - last_reconcile >= std::chrono::seconds(5)) {
        reconcile();
        last_reconcile = now;
      }
      auto step = claim();
      if (!step.stop.empty()) {
        ended = step.stop;
        break;
      }
      if (!step.claimed.empty()) sender.push(std::move(step.claimed));
      if (now - last_progress >= std::chrono::seconds(1)) {
        progress();
        last_progress = now;
      }
      if (step.room) continue;  // slots left and recipients waiting: claim again at once
      if (step.busy) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      // Wait for a call to end (NOTIFY) or the tick.
      if (listener_->await_notification(1, 0) > 0) {
        // A call ended; a few more will in the next moments: one claim takes their slots together.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        listener_->get_notifs();
      }
    }
    stop_recording = true;
    recorder.join();
    if (recorder_failure) std::rethrow_exception(recorder_failure);
    // Attempts not yet sent are undone; answers still owed are recorded before the dispatcher stops, so an attempt
    // is never left without its call id.
    auto& conn = session_.database().ready();
    std::vector<Sent> withdrawn;
    for (auto& item : sender.withdraw()) {
      Sent out;
      out.attempt_id = item.call.attempt_id;
      out.kind = Sent::Kind::withdrawn;
      withdrawn.push_back(std::move(out));
    }
    record(conn, std::move(withdrawn));
    while (sender.pending() > 0) record(conn, sender.wait_take(std::chrono::milliseconds(100)));
    progress();
    std::lock_guard lock(tally_mutex_);
    return {tally_, ended};
  }

 private:
  struct Step {
    std::vector<Claimed> claimed;
    bool room = false;  ///< it filled up to the batch bound: more may be claimable now
    bool busy = false;  ///< another dispatcher of the campaign was claiming: look again in a moment
    std::string stop;
  };

  Instant at() const { return std::chrono::time_point_cast<std::chrono::seconds>(session_.now()); }

  void say(const std::string& line) {
    std::lock_guard lock(info_mutex_);
    session_.info(line);
  }

  void open_client() {
    pqxx::work tx(session_.database().ready());
    auto c = *read_campaign(tx, campaign_id_, epoch(at()));
    if (c.provider.empty()) throw ConflictError("the campaign has no agent", "give it one: wfa campaign update");
    if (c.agent_external_id.empty())
      throw ConflictError("the campaign's agent is not synced to " + c.provider,
                          "run wfa agent sync --workspace " + c.workspace);
    client_ = std::make_unique<ProviderClient>(
        integration_client(session_, tx, c.workspace_id, c.workspace, c.provider, static_cast<int>(settings_.senders)));
    provider_ = c.provider;
    workspace_id_ = c.workspace_id;
    agent_external_id_ = c.agent_external_id;
    WorkspaceRef ws{c.workspace_id, c.partner_id, "", false};
    for (const auto& number : c.from_numbers) {
      auto found = caller_number(tx, ws, c.provider, number);
      if (!found)
        throw ConflictError("caller id " + number + " is not an active " + c.provider + " number of " + c.workspace,
                            "see wfa number list --workspace " + c.workspace);
      number_ids_[number] = found->provider_number_id;
    }
    agent_id_ = tx.exec_params("SELECT agent_id::text FROM campaigns WHERE id = $1::uuid", campaign_id_)[0][0]
                    .as<std::string>();
    if (c.from_numbers.empty()) {
      if (auto found = default_caller_number(tx, ws, agent_id_)) {
        default_from_ = found->number;
        number_ids_[found->number] = found->provider_number_id;
      } else if (c.provider != "synthflow") {
        throw ConflictError("campaign has no caller id: no from-number and none assigned to its agent",
                            "give it numbers: wfa campaign update CAMPAIGN --from-number +E164");
      }
    }
    tx.commit();
    try {
      if (auto limit = account_concurrency_limit(*client_)) {
        pqxx::work store(session_.database().ready());
        record_account_limit(store, workspace_id_, provider_, *limit);
        store.commit();
      }
    } catch (const Error& e) {
      say("could not read the " + provider_ + " account's concurrency limit: " + e.what());
    }
  }

  Step claim() {
    Step step;
    auto now = at();
    pqxx::work tx(session_.database().ready());
    auto read = read_campaign(tx, campaign_id_, epoch(now), true);
    if (!read) {
      tx.commit();
      step.busy = true;
      return step;
    }
    auto& c = *read;
    tally_.status = c.status;
    bool started = c.started, over = c.over, waiting = c.waiting;
    if ((c.status == "scheduled" || c.status == "running" || c.status == "paused") && over) {
      move_status(tx, session_.actor(), campaign_id_, c, "expired");
      tx.commit();
      tally_.status = "expired";
      step.stop = "expired";
      return step;
    }
    if (c.status == "scheduled" && started) {
      move_status(tx, session_.actor(), campaign_id_, c, "running");
      c.status = tally_.status = "running";
    }
    if (c.status == "running" && !waiting) {
      move_status(tx, session_.actor(), campaign_id_, c, "completed");
      tx.commit();
      tally_.status = "completed";
      step.stop = "completed";
      return step;
    }
    if (c.status != "running") {
      tx.commit();
      step.stop = c.status == "scheduled" ? "" : c.status + (c.pause_reason.empty() ? "" : " (" + c.pause_reason + ")");
      return step;
    }
    auto gate = workspace_gate(tx, c.workspace_id);
    if (!gate.may_dial) {
      if (gate.reason == "insufficient_credit") {
        move_status(tx, session_.actor(), campaign_id_, c, "paused", gate.reason);
        notify_insufficient_credit(tx, campaign_id_);
        tx.commit();
        step.stop = "paused (insufficient_credit)";
        return step;
      }
      tx.commit();
      step.stop = "stopped: " + gate.reason;
      return step;
    }
    // One account's calls are counted and claimed by one dispatcher at a time, whichever campaign it serves.
    tx.exec_params("SELECT pg_advisory_xact_lock(hashtextextended('wfa.dial/' || $1 || '/' || $2, 0))", c.workspace_id,
                   c.provider);
    auto counts = tx.exec_params(
        "SELECT (SELECT count(*) FROM call_attempts a WHERE a.workspace_id = $1::uuid AND a.provider = $2 AND"
        " a.ended_at IS NULL AND a.end_seen_at IS NULL) + (SELECT count(*) FROM conversations v WHERE v.workspace_id ="
        " $1::uuid AND v.provider = $2 AND v.direction = 'inbound' AND v.status IN ('ringing', 'in_progress') AND"
        " v.started_at > to_timestamp($5)), (SELECT count(*) FROM call_attempts a WHERE a.workspace_id = $1::uuid AND"
        " a.provider = $2 AND a.campaign_id = $3::uuid AND a.ended_at IS NULL AND a.end_seen_at IS NULL), (SELECT"
        " count(*) FROM call_attempts a WHERE"
        " a.workspace_id = $1::uuid AND a.campaign_id = $3::uuid AND a.requested_at > to_timestamp($4) - interval"
        " '60 seconds'), COALESCE(i.max_concurrent_calls, i.reported_concurrency, 10) FROM workspace_integrations i"
        " WHERE i.workspace_id = $1::uuid AND i.provider = $2",
        c.workspace_id, c.provider, campaign_id_, epoch(now), epoch(now - max_call_seconds(session_)));
    if (counts.empty()) throw NotFoundError("the workspace has no " + c.provider + " integration any more");
    const auto& n = counts[0];
    std::int64_t account_live = n[0].as<std::int64_t>(), campaign_live = n[1].as<std::int64_t>();
    std::int64_t recent = n[2].as<std::int64_t>(), account_cap = n[3].as<std::int64_t>();
    tally_.live = campaign_live;
    std::int64_t free = std::min({account_cap - account_live, std::int64_t{c.max_concurrent} - campaign_live,
                                  std::int64_t{c.calls_per_minute} - recent, std::int64_t{batch_bound}});
    if (auto room = credit_room(tx, c.workspace_id); room && free > 0 && *room < free) {
      if (*room <= 0) {
        move_status(tx, session_.actor(), campaign_id_, c, "paused", "insufficient_credit");
        notify_insufficient_credit(tx, campaign_id_);
        tx.commit();
        step.stop = "paused (insufficient_credit)";
        return step;
      }
      free = *room;
    }
    if (free <= 0) {
      tx.commit();
      return step;
    }
    // A few more than the free slots: recipients not due are set aside (skipped or given their time) as they are met,
    // and the due ones left over would only be judged again by the next claim.
    auto limit = static_cast<std::size_t>(free + 8);
    auto verdicts = claim_candidates(tx, campaign_id_, now, limit, settings_.force);
    std::vector<std::int64_t> due;
    json held = json::array();
    for (const auto& v : verdicts) {
      switch (v.verdict) {
        case DialVerdict::due:
          if (static_cast<std::int64_t>(due.size()) < free) due.push_back(v.id);
          break;
        case DialVerdict::do_not_call:
        case DialVerdict::refused:
        case DialVerdict::no_zone:
          held.push_back({{"id", v.id}, {"skip", verdict_name(v.verdict)}, {"next", nullptr}});
          break;
        case DialVerdict::retry_gap:
        case DialVerdict::attempts_day:
        case DialVerdict::attempts_week:
        case DialVerdict::outside_window:
          if (v.next)
            held.push_back({{"id", v.id}, {"skip", nullptr}, {"next", epoch(*v.next)}});
          else
            held.push_back({{"id", v.id}, {"skip", "no_allowed_time"}, {"next", nullptr}});
          break;
        case DialVerdict::live_call:
        case DialVerdict::finished:
          break;
      }
    }
    if (!held.empty())
      tx.exec_params(
          "UPDATE campaign_recipients r SET status = CASE WHEN d.skip IS NULL THEN r.status ELSE 'skipped' END,"
          " skip_reason = COALESCE(d.skip, r.skip_reason), next_attempt_at = CASE WHEN d.skip IS NULL THEN"
          " to_timestamp(d.next) ELSE r.next_attempt_at END FROM jsonb_to_recordset($2::jsonb) AS d(id bigint, skip"
          " text, next bigint) WHERE r.workspace_id = $1::uuid AND r.id = d.id",
          c.workspace_id, held.dump());
    if (!due.empty()) {
      auto from = c.from_numbers.empty() ? std::vector<std::string>{} : c.from_numbers;
      if (from.empty() && !default_from_.empty()) from.push_back(default_from_);
      auto rows = tx.exec_params(
          "WITH u AS (UPDATE campaign_recipients r SET status = 'calling', attempts = r.attempts + 1,"
          " next_attempt_at = NULL WHERE r.workspace_id = $1::uuid AND r.id = ANY ($3::bigint[]) RETURNING r.id,"
          " r.phone, r.attempts, jsonb_strip_nulls(COALESCE(r.variables, '{}'::jsonb) || jsonb_build_object("
          "'first_name', r.first_name, 'last_name', r.last_name, 'email', r.email, 'company', r.company)) AS vars),"
          " ins AS (INSERT INTO call_attempts (workspace_id, campaign_id, recipient_id, phone_e164, attempt_no,"
          " provider, from_number, requested_at) SELECT $1::uuid, $2::uuid, u.id, u.phone, u.attempts, $4, CASE WHEN"
          " cardinality($5::text[]) > 0 THEN ($5::text[])[1 + (u.id + u.attempts) % cardinality($5::text[])] END,"
          " to_timestamp($6) FROM u RETURNING id, recipient_id, phone_e164, from_number)"
          " SELECT ins.id::text, ins.recipient_id, ins.phone_e164, COALESCE(ins.from_number, ''), u.vars::text FROM"
          " ins JOIN u ON u.id = ins.recipient_id",
          c.workspace_id, campaign_id_, array_literal(due), c.provider, array_literal(from), epoch(now));
      for (const auto& row : rows) {
        Claimed item;
        item.recipient_id = row[1].as<std::int64_t>();
        item.call.attempt_id = row[0].as<std::string>();
        item.call.agent_external_id = agent_external_id_;
        item.call.to = row[2].as<std::string>();
        item.call.from_number = row[3].as<std::string>();
        if (auto id = number_ids_.find(item.call.from_number); id != number_ids_.end())
          item.call.from_provider_number_id = id->second;
        auto variables = json::parse(row[4].as<std::string>());
        for (const auto& [key, value] : variables.items())
          item.call.variables.emplace_back(key, value.is_string() ? value.get<std::string>() : value.dump());
        step.claimed.push_back(std::move(item));
      }
    }
    tx.commit();
    // More may be claimable at once: the batch bound was reached, or every candidate was looked at and slots remain.
    step.room = (static_cast<std::int64_t>(due.size()) == free && free == batch_bound) ||
                (static_cast<std::int64_t>(due.size()) < free && verdicts.size() == limit && !held.empty());
    return step;
  }

  Sent send(const Claimed& item) {
    Sent out;
    out.attempt_id = item.call.attempt_id;
    out.to = item.call.to;
    out.from_number = item.call.from_number;
    try {
      auto result = settings_.dial ? settings_.dial(*client_, item.call) : start_outbound_call(*client_, item.call);
      out.provider_call_id = result.provider_call_id;
      out.account_limit = result.account_limit;
    } catch (const ConcurrencyRefused& e) {
      out.kind = Sent::Kind::refused;
      out.error = e.what();
    } catch (const NotSent& e) {
      out.kind = Sent::Kind::not_sent;
      out.error = e.what();
    } catch (const Error& e) {
      // No answer (a timeout, a dropped connection, a 5xx): the call may exist; reconciliation looks for it.
      out.kind = e.category() == ErrorCategory::temporary ? Sent::Kind::uncertain : Sent::Kind::failed;
      out.error = e.what();
    } catch (const std::exception& e) {
      out.kind = Sent::Kind::uncertain;
      out.error = e.what();
    }
    return out;
  }

  /// record stores ANSWERS on CONN in one transaction: call ids, refusals (the attempt undone) and failures (ended).
  void record(pqxx::connection_base& conn, std::vector<Sent> answers) {
    if (answers.empty()) return;
    std::vector<StartedCall> started;
    std::vector<std::string> refused, withdrawn, failed;
    std::unique_lock tally(tally_mutex_);
    for (const auto& a : answers) {
      switch (a.kind) {
        case Sent::Kind::started:
          started.push_back(
              {workspace_id_, a.attempt_id, agent_id_, provider_, a.provider_call_id, a.to, a.from_number, false});
          ++tally_.dialed;
          break;
        case Sent::Kind::refused:
          refused.push_back(a.attempt_id);
          ++tally_.refused;
          break;
        case Sent::Kind::withdrawn:
          withdrawn.push_back(a.attempt_id);
          break;
        case Sent::Kind::not_sent:
          refused.push_back(a.attempt_id);
          ++tally_.not_sent;
          if (tally_.not_sent <= 3) say("a call was not sent (tried again in a few seconds): " + a.error);
          break;
        case Sent::Kind::failed:
          failed.push_back(a.attempt_id);
          ++tally_.failed;
          if (tally_.failed <= 3) say("a call failed: " + a.error);
          break;
        case Sent::Kind::uncertain:
          ++tally_.uncertain;
          if (tally_.uncertain <= 3) say("no answer to a call request (reconciled later): " + a.error);
          break;
      }
    }
    tally.unlock();
    pqxx::work tx(conn);
    // A lost commit loses nothing: reconciliation finds a call id again, or ends an attempt the provider never made.
    tx.exec("SET LOCAL synchronous_commit = off");
    record_calls_started(tx, started);
    if (auto reported =
            std::max_element(answers.begin(), answers.end(),
                             [](const Sent& a, const Sent& b) { return a.account_limit < b.account_limit; });
        reported != answers.end() && reported->account_limit)
      record_account_limit(tx, workspace_id_, provider_, *reported->account_limit);
    // A refusal for concurrency, or a request that never reached the provider, is not an attempt: the attempt goes,
    // and the recipient waits a few seconds; an attempt never sent goes too, and its recipient waits for nothing.
    for (const auto& [ids, delay] : {std::pair{&refused, 5}, std::pair{&withdrawn, 0}})
      if (!ids->empty())
        tx.exec_params(
            "WITH gone AS (DELETE FROM call_attempts a WHERE a.workspace_id = $1::uuid AND a.id = ANY ($2::uuid[]) AND"
            " a.ended_at IS NULL AND a.provider_call_id IS NULL RETURNING a.recipient_id) UPDATE campaign_recipients"
            " r SET status = 'queued', attempts = greatest(r.attempts - 1, 0), next_attempt_at = CASE WHEN $4 > 0"
            " THEN to_timestamp($3) + make_interval(secs => $4) END FROM gone WHERE r.workspace_id = $1::uuid AND"
            " r.id = gone.recipient_id AND r.status = 'calling'",
            workspace_id_, array_literal(*ids), epoch(at()), delay);
    if (!failed.empty()) end_attempts(tx, workspace_id_, array_literal(failed), at(), "failed");
    tx.commit();
  }

  /// reconcile finds the calls of attempts left without an answer, and ends attempts whose end never came.
  void reconcile() {
    auto now = at();
    auto grace = std::chrono::seconds(whole_setting(session_, "provider_timeout", 30, 1, 600) + 10);
    auto longest = max_call_seconds(session_);
    pqxx::work tx(session_.database().ready());
    auto locked = tx.exec_params("SELECT pg_try_advisory_xact_lock(hashtextextended('wfa.reconcile/' || $1, 0))",
                                 campaign_id_)[0][0]
                      .as<bool>();
    if (!locked) return;
    auto rows = tx.exec_params(
        "SELECT id::text, phone_e164, COALESCE(from_number, ''), floor(extract(epoch FROM requested_at))::bigint,"
        " provider_call_id IS NULL FROM call_attempts WHERE workspace_id = $1::uuid AND campaign_id = $2::uuid AND"
        " ended_at IS NULL AND requested_at < to_timestamp($3) AND (provider_call_id IS NULL OR requested_at <"
        " to_timestamp($4)) ORDER BY requested_at LIMIT 200",
        workspace_id_, campaign_id_, epoch(now - grace), epoch(now - longest));
    std::vector<StartedCall> found;
    std::vector<std::string> lost;
    for (const auto& row : rows) {
      auto requested = Instant(std::chrono::seconds(row[3].as<std::int64_t>()));
      if (row[4].as<bool>()) {
        OutboundCall call;
        call.attempt_id = row[0].as<std::string>();
        call.agent_external_id = agent_external_id_;
        call.to = row[1].as<std::string>();
        call.from_number = row[2].as<std::string>();
        try {
          if (auto id = find_outbound_call(*client_, call, requested)) {
            found.push_back(
                {workspace_id_, call.attempt_id, agent_id_, provider_, *id, call.to, call.from_number, false});
            continue;
          }
        } catch (const Error& e) {
          say("could not look up an unanswered call at " + provider_ + ": " + e.what());
          continue;  // unknown: the attempt stays live, never dialed twice
        }
      }
      if (requested < now - longest) lost.push_back(row[0].as<std::string>());
    }
    if (!found.empty()) record_calls_started(tx, found);
    if (!lost.empty()) end_attempts(tx, workspace_id_, array_literal(lost), now, "failed");
    tx.commit();
  }

  void pause(const std::string& why) {
    pqxx::work tx(session_.database().ready());
    auto c = *read_campaign(tx, campaign_id_, epoch(at()));
    if (c.status == "running" || c.status == "scheduled")
      move_status(tx, session_.actor(), campaign_id_, c, "paused", why);
    tx.commit();
    tally_.status = "paused";
  }

  void progress() {
    if (!settings_.on_progress) return;
    pqxx::read_transaction tx(session_.database().ready());
    auto row = tx.exec_params(
        "SELECT count(*), count(*) FILTER (WHERE status IN ('completed', 'failed', 'skipped')), (SELECT count(*) FROM"
        " call_attempts a WHERE a.workspace_id = $1::uuid AND a.campaign_id = $2::uuid AND a.ended_at IS NULL) FROM"
        " campaign_recipients WHERE workspace_id = $1::uuid AND campaign_id = $2::uuid",
        workspace_id_, campaign_id_)[0];
    std::lock_guard lock(tally_mutex_);
    tally_.recipients = row[0].as<std::int64_t>();
    tally_.finished = row[1].as<std::int64_t>();
    tally_.live = row[2].as<std::int64_t>();
    settings_.on_progress(tally_);
  }

  static constexpr std::int64_t batch_bound = 200;  ///< the most attempts one claim takes

  Session& session_;
  std::string campaign_id_;
  const DispatchSettings& settings_;
  std::unique_ptr<pqxx::connection> listener_;
  std::unique_ptr<ProviderClient> client_;
  std::string provider_, workspace_id_, agent_id_, agent_external_id_, default_from_;
  std::map<std::string, std::string> number_ids_;
  std::mutex tally_mutex_, info_mutex_;  ///< the recorder thread counts and speaks too
  DispatchTally tally_;
};

}  // namespace

std::chrono::seconds max_call_seconds(const Session& session) {
  auto longest = whole_setting(session, "max_call_seconds", 3600, 5, 86400);
  return std::chrono::seconds(longest + std::max(5, longest / 12));
}

DispatchSummary dispatch_campaign(Session& session, const std::string& campaign_id, const DispatchSettings& settings) {
  return Dispatcher(session, campaign_id, settings).run();
}

}  // namespace wfa
