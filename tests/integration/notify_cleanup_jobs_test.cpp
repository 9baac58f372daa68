// The notify.flush and cleanup job kinds: enqueued and drained by a worker they do their effect once, a second job
// changes nothing more, and their payloads are checked when enqueued.
#include <map>

#include <nlohmann/json.hpp>

#include "tests/integration/job_fixture.hpp"
#include "tests/support/fake_providers.hpp"

namespace wfa {
namespace {

const std::string bot_token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

class NotifyAndCleanupJobs : public ::testing::Test, protected test::JobFixture {
 protected:
  test::FakeProviders fake{std::map<std::string, std::string>{{"telegram", bot_token}}};

  NotifyAndCleanupJobs() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    env["WFA_TELEGRAM_API_BASE_URL"] = fake.base_url("telegram");
  }
  /// drained enqueues KIND with PAYLOAD, runs a draining worker, and expects the job completed.
  void drained(const std::string& kind, const std::string& payload) {
    auto id = enqueue(kind, payload);
    auto r = run({"worker", "--drain"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(value("SELECT status || ' ' || coalesce(last_error, '') FROM jobs WHERE id = " + id), "completed ");
  }
  /// refused expects enqueueing KIND with PAYLOAD to fail with exit 6 and WORDS.
  void refused(const std::string& kind, const std::string& payload, const std::string& words) {
    auto r = run({"job", "enqueue", kind, "--payload", payload});
    EXPECT_EQ(r.exit_code, 6) << payload << ": " << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  }
};

TEST_F(NotifyAndCleanupJobs, NotifyFlushSendsWhatIsQueuedOnce) {
  ASSERT_EQ(run({"telegram", "bot", "set", "acme"}, bot_token + "\n").exit_code, 0);
  for (const char* text : {"first", "second"})
    ASSERT_EQ(run({"notify", "send", "acme", "--chat", "7", "--text", text}).exit_code, 0);
  drained("notify.flush", R"({"partner": "acme", "max_seconds": 30})");
  EXPECT_EQ(fake.telegram_messages().size(), 2u);
  EXPECT_EQ(value("SELECT count(*) FROM notifications WHERE status = 'sent'"), "2");
  EXPECT_EQ(value("SELECT result->>'sent' FROM jobs"), "2");
  drained("notify.flush", "{}");
  EXPECT_EQ(fake.telegram_messages().size(), 2u) << "a second flush sends nothing again";
}

TEST_F(NotifyAndCleanupJobs, CleanupRetiresWhatExpiredOnce) {
  auto ws = workspace_id("acme/main");
  exec("INSERT INTO workspace_invitations (workspace_id, email, role, token_hash, expires_at, invited_by) VALUES ('" +
       ws + "', 'a@x.test', 'member', 'h1', now() - interval '1 hour', 't'), ('" + ws +
       "', 'b@x.test', 'member', 'h2', now() + interval '1 day', 't')");
  exec(
      "INSERT INTO webhook_events (provider, endpoint, event_id, body, status, processed_at) VALUES"
      " ('slack', 'slack', 'e1', 'x', 'processed', now() - interval '3 days'),"
      " ('slack', 'slack', 'e2', 'x', 'processed', now() - interval '1 hour')");
  drained("cleanup", R"({"what": ["invitations", "webhooks"], "older_than": "2d"})");
  EXPECT_EQ(value("SELECT string_agg(email || ' ' || status, ', ' ORDER BY email) FROM workspace_invitations"),
            "a@x.test expired, b@x.test pending");
  EXPECT_EQ(value("SELECT string_agg(event_id, ',') FROM webhook_events"), "e2") << "older than 2 days only";
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.expire'"), "1");
  drained("cleanup", "{}");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'workspace_invitation.expire'"), "1")
      << "every cleanup again (the default) finds nothing more to expire";
  EXPECT_EQ(value("SELECT string_agg(event_id, ',') FROM webhook_events"), "e2") << "the default retention is 30 days";
}

TEST_F(NotifyAndCleanupJobs, BadPayloadsAreRefusedWhenEnqueued) {
  refused("notify.flush", R"({"max_seconds": 0})", "payload field max_seconds is not a whole number from 1 to 3600");
  refused("notify.flush", R"({"partner": 7})", "payload field partner is not a partner's slug or id");
  refused("notify.flush", R"({"chat": 7})", "payload field chat is not one notify.flush takes (partner, max_seconds)");
  refused("cleanup", R"({"what": "everything"})", "payload field what names no cleanup: \"everything\"");
  refused("cleanup", R"({"what": []})", "payload field what is an empty list");
  refused("cleanup", R"({"what": "grants", "older_than": "1d"})",
          "payload field older_than applies only to all, files, webhooks and notifications");
  refused("cleanup", R"({"older_than": "soon"})", "soon");
  refused("cleanup", R"({"dry_run": true})", "payload field dry_run is not one cleanup takes (what, older_than)");
  EXPECT_EQ(count("jobs"), 0);
}

}  // namespace
}  // namespace wfa
