// `wfa mail bounce`: delivery-status notifications matched to their messages by VERP; hard bounces suppressed.
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>
#include <regex>

#include "commands/mail/mail.hpp"
#include "commands/mail/mail_suppress.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/session.hpp"

namespace wfa {

namespace {

constexpr std::size_t max_bounce_bytes = 64 * 1024 * 1024;

/// messages_of splits an mbox at its "From " lines; a single message is one.
std::vector<std::string> messages_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto next = text.find("\nFrom ", start);
    out.push_back(text.substr(start, next == std::string::npos ? std::string::npos : next + 1 - start));
    if (next == std::string::npos) break;
    start = next + 1;
  }
  return out;
}

/// hard_status is the DSN's first 5.x.x status, or empty when it reports no permanent failure.
std::string hard_status(const std::string& message) {
  static const std::regex status(R"((?:^|\n)Status:\s*(5\.\d{1,3}\.\d{1,3}))", std::regex::icase);
  static const std::regex failed(R"((?:^|\n)Action:\s*failed)", std::regex::icase);
  std::smatch m;
  if (std::regex_search(message, m, status)) return m[1].str();
  if (std::regex_search(message, failed)) return "5.0.0";
  return {};
}

}  // namespace

Result run_mail_bounce(const MailBounceOptions& o, Session& session) {
  auto text = read_input_file(o.file, "bounce file", max_bounce_bytes);
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "record bounces");
  static const std::regex verp(R"(bounce\+([A-Za-z0-9_-]{8,64})@)");
  Table t("bounces", {"message", "recipient", "status", "suppressed"});
  long unmatched = 0;
  for (const auto& message : messages_of(text)) {
    std::smatch m;
    if (!std::regex_search(message, m, verp)) {
      ++unmatched;
      continue;
    }
    auto key = m[1].str();
    auto rows = tx.exec_params(
        "SELECT id, recipient, invitation_id::text, partner_id::text FROM mail_outbox"
        " WHERE message_key = $1 FOR UPDATE",
        key);
    if (rows.empty()) {
      ++unmatched;
      continue;
    }
    auto id = rows[0][0].as<std::string>();
    auto recipient = rows[0][1].as<std::string>();
    auto status = hard_status(message);
    bool hard = !status.empty();
    if (hard) {
      auto detail = "bounced: status " + status;
      tx.exec_params("UPDATE mail_outbox SET status = 'failed', last_reply = $2 WHERE id = $1::uuid", id, detail);
      suppress_bounced(tx, session, id, detail);
      std::optional<std::string> partner_id;
      if (!rows[0][3].is_null()) partner_id = rows[0][3].as<std::string>();
      record_audit(tx, {session.actor(), "mail.bounce", "mail", id, partner_id, std::nullopt, "",
                        nlohmann::json{{"recipient", recipient}, {"status", status}}.dump(), ""});
    }
    t.rows.push_back({Cell(id), Cell(recipient), hard ? Cell(status) : Cell(std::string("soft")), Cell(hard)});
  }
  Result r;
  auto matched = t.rows.size();
  r.tables.push_back(std::move(t));
  auto summary = std::to_string(matched) + " bounce(s) matched, " + std::to_string(unmatched) + " not";
  return commit_or_roll_back(tx, std::move(r), o.dry_run, summary, summary);
}

}  // namespace wfa
