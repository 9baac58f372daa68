// The campaign status machine in process: every verb from every state through a Session, the confirmation of
// cancel, schedule windows, and the rules of campaign_rules on a real PostgreSQL, no binary.
#include <pqxx/transaction>

#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "core/database.hpp"
#include "tests/integration/campaign_fixture.hpp"

using namespace wfa;
using test::CampaignFixture;
using test::failure;
using test::field;

namespace {

using StatusVerb = Result (*)(const CampaignStatusOptions&, Session&);

StatusVerb verb_function(const std::string& verb) {
  if (verb == "schedule") return run_campaign_schedule;
  if (verb == "pause") return run_campaign_pause;
  if (verb == "resume") return run_campaign_resume;
  return run_campaign_cancel;
}

CampaignStatusOptions spring() {
  CampaignStatusOptions o;
  o.campaign = "acme/main/spring";
  o.yes = true;
  return o;
}

/// put sets spring's status with a window that began yesterday and ends in 30 days.
void put(CampaignFixture& f, const std::string& status) {
  f.exec("UPDATE campaigns SET status = '" + status +
         "', starts_at = now() - interval '1 day',"
         " ends_at = now() + interval '30 days'");
}

/// Move is one verb from one state: AFTER is the resulting status, "" when the machine refuses (a conflict);
/// CHANGES says whether the verb did anything (and wrote an audit row).
struct Move {
  const char* from;
  const char* verb;
  const char* after;
  bool changes;
};

const Move moves[] = {
    {"draft", "schedule", "scheduled", true},
    {"scheduled", "schedule", "scheduled", true},
    {"running", "schedule", "", false},
    {"paused", "schedule", "", false},
    {"completed", "schedule", "", false},
    {"cancelled", "schedule", "", false},
    {"expired", "schedule", "", false},
    {"draft", "pause", "", false},
    {"scheduled", "pause", "paused", true},
    {"running", "pause", "paused", true},
    {"paused", "pause", "paused", false},
    {"completed", "pause", "", false},
    {"cancelled", "pause", "", false},
    {"expired", "pause", "", false},
    {"draft", "resume", "", false},
    {"scheduled", "resume", "scheduled", false},
    {"running", "resume", "running", false},
    {"paused", "resume", "running", true},
    {"completed", "resume", "", false},
    {"cancelled", "resume", "", false},
    {"expired", "resume", "", false},
    {"draft", "cancel", "cancelled", true},
    {"scheduled", "cancel", "cancelled", true},
    {"running", "cancel", "cancelled", true},
    {"paused", "cancel", "cancelled", true},
    {"completed", "cancel", "", false},
    {"cancelled", "cancel", "cancelled", false},
    {"expired", "cancel", "", false},
};

}  // namespace

TEST(SessionCampaignStatus, EveryVerbFromEveryStateIsAllowedOrRefused) {
  CampaignFixture f;
  auto& s = f.session("ops@wfa.example");
  for (const auto& m : moves) {
    SCOPED_TRACE(std::string(m.verb) + " from " + m.from);
    put(f, m.from);
    auto audits = f.count("audit_log");
    auto run = verb_function(m.verb);
    if (*m.after == '\0') {
      auto refused = failure([&] { run(spring(), s); });
      EXPECT_EQ(refused.category, ErrorCategory::conflict) << refused.message;
      EXPECT_NE(refused.message.find(std::string("it is ") + m.from), std::string::npos) << refused.message;
      EXPECT_EQ(f.value("SELECT status FROM campaigns"), m.from) << "a refusal changes nothing";
    } else {
      Result r;
      auto outcome = failure([&] { r = run(spring(), s); });
      ASSERT_EQ(outcome.category, ErrorCategory::ok) << outcome.message;
      EXPECT_EQ(field(r, "status").as_string(), m.after);
      EXPECT_EQ(f.value("SELECT status FROM campaigns"), m.after);
      if (!m.changes) {
        EXPECT_NE(r.message.find("nothing changed"), std::string::npos) << r.message;
      }
    }
    EXPECT_EQ(f.count("audit_log"), audits + (m.changes ? 1 : 0));
    if (m.changes) {
      EXPECT_EQ(f.value("SELECT actor || ' ' || action FROM audit_log ORDER BY id DESC LIMIT 1"),
                std::string("ops@wfa.example campaign.") + m.verb);
    }
  }
}

TEST(SessionCampaignStatus, ResumeBeforeTheWindowOpensGoesBackToScheduled) {
  CampaignFixture f;
  f.exec(
      "UPDATE campaigns SET status = 'paused', starts_at = now() + interval '1 day', ends_at = now() + interval '2 "
      "days'");
  auto r = run_campaign_resume(spring(), f.session());
  EXPECT_EQ(field(r, "status").as_string(), "scheduled");
  EXPECT_EQ(f.value("SELECT status FROM campaigns"), "scheduled");
}

TEST(SessionCampaignStatus, ScheduleNeedsAWindowThatHasNotEnded) {
  CampaignFixture f;
  auto& s = f.session();
  auto none = failure([&] { run_campaign_schedule(spring(), s); });
  EXPECT_EQ(none.category, ErrorCategory::invalid_input) << none.message;
  EXPECT_NE(none.message.find("has no schedule window"), std::string::npos) << none.message;

  auto past = spring();
  past.starts_at = "2020-01-01T00:00:00Z";
  past.ends_at = "2020-02-01T00:00:00Z";
  EXPECT_EQ(failure([&] { run_campaign_schedule(past, s); }).category, ErrorCategory::invalid_input);
  auto backwards = spring();
  backwards.starts_at = "2030-02-01T00:00:00Z";
  backwards.ends_at = "2030-01-01T00:00:00Z";
  auto reversed = failure([&] { run_campaign_schedule(backwards, s); });
  EXPECT_EQ(reversed.category, ErrorCategory::invalid_input) << reversed.message;
  EXPECT_NE(reversed.message.find("would end before it starts"), std::string::npos) << reversed.message;
  auto mars = spring();
  mars.timezone = "Mars/Olympus";
  mars.starts_at = "2030-06-01T09:00";
  mars.ends_at = "2030-06-30T00:00:00Z";
  EXPECT_EQ(failure([&] { run_campaign_schedule(mars, s); }).category, ErrorCategory::invalid_input);
  EXPECT_EQ(f.value("SELECT status || ' ' || (starts_at IS NULL)::text FROM campaigns"), "draft true");
  EXPECT_EQ(f.count("audit_log"), 0);

  auto london = spring();
  london.timezone = "Europe/London";
  london.starts_at = "2030-06-01T09:00";
  london.ends_at = "2030-06-30T00:00:00Z";
  auto r = run_campaign_schedule(london, s);
  EXPECT_EQ(field(r, "status").as_string(), "scheduled");
  EXPECT_EQ(field(r, "starts_at").as_string(), "2030-06-01T08:00:00Z")
      << "a time without offset is in the new zone (BST)";
  EXPECT_EQ(field(r, "timezone").as_string(), "Europe/London");
}

TEST(SessionCampaignStatus, CancelAsksTheFrontEndUnlessYes) {
  CampaignFixture f;
  auto unconfirmed = spring();
  unconfirmed.yes = false;
  EXPECT_EQ(failure([&] { run_campaign_cancel(unconfirmed, f.session()); }).category, ErrorCategory::usage)
      << "no confirm hook: refused";

  std::string asked;
  bool answer = false;
  SessionHooks hooks;
  hooks.confirm = [&](const std::string& question) {
    asked = question;
    return answer;
  };
  Session s(f.config(), hooks);
  EXPECT_EQ(failure([&] { run_campaign_cancel(unconfirmed, s); }).category, ErrorCategory::interrupted);
  EXPECT_NE(asked.find("acme/main/spring"), std::string::npos) << asked;
  EXPECT_EQ(f.value("SELECT status FROM campaigns"), "draft");
  answer = true;
  EXPECT_EQ(field(run_campaign_cancel(unconfirmed, s), "status").as_string(), "cancelled");

  asked.clear();
  EXPECT_EQ(run_campaign_cancel(unconfirmed, s).category, ErrorCategory::ok);
  EXPECT_EQ(asked, "") << "an already cancelled campaign needs no confirmation";
}

TEST(SessionCampaignStatus, DryRunShowsTheNewStatusAndKeepsTheOld) {
  CampaignFixture f;
  put(f, "running");
  auto o = spring();
  o.dry_run = true;
  auto r = run_campaign_pause(o, f.session());
  EXPECT_EQ(field(r, "status").as_string(), "paused");
  EXPECT_EQ(r.message.rfind("dry run: ", 0), 0u) << r.message;
  EXPECT_EQ(f.value("SELECT status FROM campaigns"), "running");
  EXPECT_EQ(f.count("audit_log"), 0);
  auto unconfirmed_dry = o;
  unconfirmed_dry.yes = false;
  EXPECT_EQ(field(run_campaign_cancel(unconfirmed_dry, f.session()), "status").as_string(), "cancelled")
      << "a dry run needs no confirmation";
  EXPECT_EQ(f.value("SELECT status FROM campaigns"), "running");
}

TEST(SessionCampaignStatus, TheTransitionTableAndTerminalStates) {
  const auto& resume = transition("resume");
  EXPECT_EQ(resume.to, "running");
  EXPECT_EQ(resume.from, (std::vector<std::string_view>{"paused"}));
  EXPECT_EQ(transition("expire").from, (std::vector<std::string_view>{"scheduled", "running", "paused"}));
  EXPECT_EQ(transition("expire").to, "expired");
  EXPECT_EQ(transition("cancel").from, (std::vector<std::string_view>{"draft", "scheduled", "running", "paused"}));
  EXPECT_EQ(failure([] { transition("complete"); }).category, ErrorCategory::unexpected);
  for (const char* status : {"completed", "cancelled", "expired"}) EXPECT_TRUE(is_terminal(status)) << status;
  for (const char* status : {"draft", "scheduled", "running", "paused"}) EXPECT_FALSE(is_terminal(status)) << status;
}

TEST(SessionCampaignStatus, FindCampaignByIdOrLabelAndRefusesTheRest) {
  CampaignFixture f;
  auto id = f.value("SELECT id FROM campaigns");
  pqxx::work tx(f.session().database().ready());
  auto by_label = find_campaign(tx, "acme/main/spring", true);
  EXPECT_EQ(by_label.id, id);
  EXPECT_EQ(by_label.label, "acme/main/spring");
  EXPECT_EQ(by_label.status, "draft");
  EXPECT_EQ(by_label.workspace_id, f.workspace_id("acme/main"));
  EXPECT_EQ(by_label.partner_id, f.partner_id("acme"));
  EXPECT_EQ(find_campaign(tx, id).label, "acme/main/spring");
  EXPECT_EQ(failure([&] { find_campaign(tx, "spring"); }).category, ErrorCategory::invalid_input) << "ambiguous";
  EXPECT_EQ(failure([&] { find_campaign(tx, "acme/main/nope"); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { find_campaign(tx, "acme/nope/spring"); }).category, ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { find_campaign(tx, "00000000-0000-0000-0000-000000000000"); }).category,
            ErrorCategory::not_found);
  EXPECT_EQ(failure([&] { check_timezone(tx, "--timezone", "Mars/Olympus"); }).category, ErrorCategory::invalid_input);
  EXPECT_EQ(failure([&] { check_timezone(tx, "--timezone", "Asia/Dubai"); }).category, ErrorCategory::ok);
}
