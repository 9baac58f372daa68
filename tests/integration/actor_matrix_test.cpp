// The documented rights matrix (wfa(1) ACTORS AND RIGHTS), verb by verb and actor by actor, through the binary:
// every refusal is exit 5 and leaves every table byte for byte as it was; every allowed actor gets through (with
// --dry-run, so the world stays the same for the next row).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;

namespace {

/// Every table a verb below could write, fingerprinted whole to prove a refusal changed nothing.
const std::vector<std::string> world_tables = {
    "users",           "super_admins",        "partners",      "partner_domains",   "partner_requests",
    "partner_members", "partner_invitations", "workspaces",    "workspace_members", "workspace_invitations",
    "profiles",        "profile_permissions", "user_profiles", "permission_sets",   "locations",
    "rate_cards",      "currency_rates",      "campaigns",     "proposal_numbers",  "audit_log"};

/// The actors of the matrix: users with no rights here, a removed member, each role that matters, a super admin and
/// an e-mail that is nobody's.
const std::vector<std::string> actors = {"ghost@nowhere.test", "stranger@else.test", "removed@acme.test",
                                         "viewer@acme.test",   "wsadmin@acme.test",  "wsowner@acme.test",
                                         "pmember@acme.test",  "padmin@acme.test",   "super@wfa.test"};

struct MatrixFixture : test::IntegrationFixture {
  std::string request_id, invitation_id, campaign_id, recipients_csv, creative, admins_json, locations_csv, rates_csv,
      photo, proposals_csv, mockups_csv;

  MatrixFixture() {
    env["WFA_ACTOR"] = "ops@wfa.test";
    add_partner("acme", "Acme");
    add_workspace("acme", "clinic", "Clinic");
    for (const auto& email : actors)
      if (email != "ghost@nowhere.test") add_user(email);
    add_workspace_member("acme/clinic", "removed@acme.test", "member");
    exec(
        "UPDATE workspace_members SET removed_at = now(), removed_by = 'test' WHERE user_id = (SELECT id FROM users "
        "WHERE email = 'removed@acme.test')");
    add_workspace_member("acme/clinic", "viewer@acme.test", "viewer");
    add_workspace_member("acme/clinic", "wsadmin@acme.test", "admin");
    add_workspace_member("acme/clinic", "wsowner@acme.test", "owner");
    add_partner_member("acme", "pmember@acme.test", "member");
    add_partner_member("acme", "padmin@acme.test", "admin");
    exec("INSERT INTO super_admins (user_id, granted_by) SELECT id, 'test' FROM users WHERE email = 'super@wfa.test'");
    ok({"partner", "request", "submit", "--company", "Beta Agency", "--contact-name", "Bo", "--contact-email",
        "bo@beta.example", "--subdomain", "beta"});
    request_id = value("SELECT id FROM partner_requests");
    ok({"domain", "add", "extra.example.org", "--partner", "acme"});
    ok({"perm", "profile", "create", "Billing", "--workspace", "acme/clinic"});
    ok({"perm", "profile", "grant", "Billing", "workspace:billing:update", "--workspace", "acme/clinic"});
    ok({"location", "add", "DXB-001", "--workspace", "acme/clinic", "--name", "Unipole 1"});
    ok({"campaign", "create", "spring", "--workspace", "acme/clinic", "--timezone", "Asia/Dubai"});
    campaign_id = value("SELECT id FROM campaigns");
    ok({"invite", "create", "pending@acme.test", "--workspace", "acme/clinic", "--role", "member"});
    invitation_id = value("SELECT id FROM workspace_invitations");
    recipients_csv = file("recipients.csv", "phone,first_name\n+971501234567,Ana\n");
    creative = file("creative.png", "not really a png");
    admins_json = file("admins.json", R"({"chat_id": -100200300, "title": "Clinic", "admins": [)"
                                      R"({"telegram_id": 1003, "first_name": "Olivia", "status": "creator"}]})");
    locations_csv = file("locations.csv", "location_key,display_name\nDXB-003,Unipole 3\n");
    rates_csv = file("rates.csv", "location_key,net_rate\nDXB-001,100\n");
    photo = (test::source_dir() / "tests" / "data" / "photo_day.jpg").string();
    proposals_csv = file("proposals.csv", "client,location,start\nX,DXB-001,2027-01-01\n");
    mockups_csv = file("mockups.csv", "location,creative\nDXB-001," + creative + "\n");
    ok({"perm", "set", "create", "Exports", "--workspace", "acme/clinic"});
    ok({"perm", "set", "grant", "Exports", "workspace:campaigns:read", "--workspace", "acme/clinic"});
    ok({"perm", "set", "assign", "Exports", "viewer@acme.test", "--workspace", "acme/clinic"});
    ok({"perm", "team", "create", "Sales", "--workspace", "acme/clinic"});
    ok({"perm", "team", "create", "North", "--parent", "Sales", "--workspace", "acme/clinic"});
    ok({"perm", "team", "add", "Sales", "viewer@acme.test", "--workspace", "acme/clinic"});
    ok({"perm", "share", "campaign:" + campaign_id, "--user", "viewer@acme.test", "--level", "read", "--workspace",
        "acme/clinic"});
    env["WFA_TEST_MODE"] = "1";  // domain verify asks these answers, never the network
    env["WFA_DNS_OVERRIDES"] = file("dns.json", "{}");
  }

  void ok(const std::vector<std::string>& args) {
    auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  /// fingerprint is every world table's rows, hashed in a stable order.
  std::string fingerprint() {
    std::string out;
    for (const auto& t : world_tables)
      out +=
          t + "=" + value("SELECT md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) FROM " + t + " x") + " ";
    return out;
  }
};

/// Case is one verb: its arguments, the actors it allows (everyone else gets 5) and their exit status; verbs
/// without --dry-run (file generators) have their refusals checked only (allowed_exit -1).
struct Case {
  std::vector<std::string> args;
  std::set<std::string> allowed;
  int allowed_exit = 0;
};

const std::set<std::string> super_only = {"super@wfa.test"};
const std::set<std::string> partner_admins = {"padmin@acme.test", "super@wfa.test"};
const std::set<std::string> workspace_admins = {"wsadmin@acme.test", "wsowner@acme.test", "padmin@acme.test",
                                                "super@wfa.test"};
const std::set<std::string> workspace_owners = {"wsowner@acme.test", "padmin@acme.test", "super@wfa.test"};
const std::set<std::string> nobody = {};
const std::set<std::string> any_user = {"stranger@else.test", "removed@acme.test", "viewer@acme.test",
                                        "wsadmin@acme.test",  "wsowner@acme.test", "pmember@acme.test",
                                        "padmin@acme.test",   "super@wfa.test"};

std::vector<Case> cases(const MatrixFixture& f) {
  const std::string w = "acme/clinic";
  const std::string& request = f.request_id;
  const std::string campaign = "campaign:" + f.campaign_id;
  return {
      {{"partner", "request", "submit", "--company", "Gamma", "--contact-name", "Gi", "--contact-email",
        "gi@gamma.example", "--subdomain", "gamma"},
       any_user},
      {{"domain", "verify", "extra.example.org"}, partner_admins, 6},       // allowed, then not verified: no TXT record
      {{"domain", "set-primary", "extra.example.org"}, partner_admins, 4},  // allowed, then refused: not verified
      {{"notify", "send", "acme", "--chat", "5", "--text", "hi", "--dry-run"}, partner_admins, 3},  // then: no bot
      {{"notify", "flush", "--partner", "acme", "--dry-run"}, partner_admins},
      {{"invite", "revoke", f.invitation_id}, workspace_admins},
      {{"invite", "resend", f.invitation_id}, workspace_admins},
      {{"perm", "set", "create", "Temp", "--workspace", w}, workspace_admins},
      {{"perm", "team", "create", "Team", "--workspace", w}, workspace_admins},
      {{"perm", "share", campaign, "--user", "viewer@acme.test", "--level", "read", "--workspace", w},
       workspace_admins},
      {{"perm", "owner", "set", campaign, "--user", "wsadmin@acme.test", "--workspace", w}, workspace_admins},
      {{"perm", "profile", "revoke", "Billing", "workspace:billing:update", "--workspace", w}, workspace_admins},
      {{"perm", "profile", "unassign", "viewer@acme.test", "--workspace", w}, workspace_admins},
      {{"location", "photo", "remove", "DXB-001", "--workspace", w, "--time-of-day", "day", "--finish", "gold",
        "--yes"},
       workspace_admins,
       3},  // no photo
      {{"mockup", "frame", "remove", "DXB-001", "--workspace", w, "--yes"}, workspace_admins, 3},
      {{"campaign", "import", w + "/spring", f.recipients_csv}, workspace_admins},
      {{"campaign", "pause", w + "/spring"}, workspace_admins, 4},  // allowed, then a draft cannot pause
      {{"campaign", "recipients", "remove", w + "/spring", "+971501234567", "--yes"}, workspace_admins},
      {{"proposal", "generate", "--workspace", w, "--client", "X", "--location", "DXB-001", "--start", "2027-01-01",
        "--out", "out"},
       workspace_admins,
       -1},
      {{"mockup", "generate", "DXB-001", "--workspace", w, "--creative", f.creative}, workspace_admins, -1},
      {{"telegram", "sync-admins", "--group", "-100200300", "--admins", f.admins_json, "--workspace", w},
       workspace_admins},
      {{"location", "import", f.locations_csv, "--workspace", w}, workspace_admins},
      {{"rate-card", "import", f.rates_csv, "--workspace", w, "--valid-from", "2026-01-01"}, workspace_admins},
      {{"campaign", "schedule", w + "/spring", "--start", "2031-01-01T09:00", "--end", "2031-01-31T18:00"},
       workspace_admins},
      {{"campaign", "resume", w + "/spring"}, workspace_admins, 4},  // allowed, then a draft cannot resume
      {{"mockup", "frame", "set", "DXB-001", "--workspace", w, "--points", "0,0 10,0 10,10 0,10"},
       workspace_admins,
       3},  // allowed, then DXB-001 has no photo
      {{"audit", "archive", "--before", "2020-01", "--out", "audit"}, super_only},
      {{"cleanup", "files"}, super_only},
      {{"user", "update", "stranger@else.test", "--first-name", "S"}, {"stranger@else.test", "super@wfa.test"}},
      {{"user", "set-telegram", "viewer@acme.test", "42"}, super_only},
      {{"super-admin", "add", "viewer@acme.test"}, super_only},
      {{"super-admin", "remove", "super@wfa.test", "--yes"}, super_only},
      {{"partner", "create", "newco", "--name", "New Co"}, super_only},
      {{"partner", "update", "acme", "--name", "Acme Two"}, partner_admins},
      {{"partner", "update", "acme", "--plan", "professional"}, super_only},
      {{"partner", "delete", "acme", "--yes"}, super_only},
      {{"partner", "restore", "acme"}, super_only},
      {{"partner", "request", "approve", request}, super_only},
      {{"partner", "request", "reject", request, "--reason", "no"}, super_only},
      {{"partner", "provision", request}, super_only, 4},  // allowed, then refused by state: pending
      {{"domain", "add", "new.example.org", "--partner", "acme"}, partner_admins},
      {{"domain", "remove", "extra.example.org", "--yes"}, partner_admins},
      {{"workspace", "create", "lab", "--partner", "acme", "--name", "Lab"}, partner_admins},
      {{"workspace", "update", w, "--name", "Clinic Two"}, workspace_admins},
      {{"workspace", "update", w, "--per-minute-rate-cents", "7"}, partner_admins},
      {{"workspace", "delete", w, "--yes"}, workspace_owners},
      {{"workspace", "restore", w}, partner_admins},
      {{"member", "add", "new@acme.test", "--workspace", w, "--role", "member", "--create-user"}, workspace_admins},
      {{"member", "add", "new@acme.test", "--workspace", w, "--role", "owner", "--create-user"}, workspace_owners},
      {{"member", "role", "viewer@acme.test", "--workspace", w, "member"}, workspace_admins},
      {{"member", "remove", "viewer@acme.test", "--workspace", w, "--yes"}, workspace_admins},
      {{"member", "add", "new@acme.test", "--partner", "acme", "--role", "member", "--create-user"}, partner_admins},
      {{"invite", "create", "new@acme.test", "--workspace", w, "--role", "member"}, workspace_admins},
      {{"perm", "profile", "create", "Sales", "--workspace", w}, workspace_admins},
      {{"perm", "profile", "grant", "Billing", "workspace:campaigns:read", "--workspace", w}, workspace_admins},
      {{"perm", "profile", "grant", "Billing", "*:*:*", "--workspace", w}, workspace_owners},
      {{"perm", "profile", "assign", "Billing", "wsadmin@acme.test", "--workspace", w}, workspace_owners},
      {{"location", "add", "DXB-002", "--workspace", w, "--name", "Unipole 2"}, workspace_admins},
      {{"rate-card", "set", "DXB-001", "--workspace", w, "--net-rate", "100", "--valid-from", "2026-01-01"},
       workspace_admins},
      {{"campaign", "create", "summer", "--workspace", w, "--timezone", "Asia/Dubai"}, workspace_admins},
      {{"lead", "create", "+971501234599", "--workspace", w}, workspace_admins},
      {{"number", "create", "vapi", "--area-code", "415", "--workspace", w}, workspace_admins, 3},  // then: no vapi key
      {{"number", "release", "+14155550100", "--workspace", w, "--yes"}, workspace_admins, 3},  // then: no such number
      {{"calls", "start", "Front desk", "--workspace", w, "--to", "+14155550100"}, workspace_admins, 3},  // no agent
      {{"agent", "test-call", "Front desk", "--workspace", w, "--to", "+14155550100"}, workspace_admins, 3},
      {{"campaign", "cancel", w + "/spring", "--yes"}, workspace_admins},
      {{"currency", "set", "USD", "--rate", "0.272294"}, super_only},
      {{"audit", "partitions"}, super_only},
      {{"cleanup", "campaigns"}, super_only},
      {{"db", "seed"}, nobody},
      {{"job", "enqueue", "noop", "--dry-run"}, super_only},
      {{"job", "purge", "--dry-run"}, super_only},
      {{"worker", "--drain"}, nobody},
      {{"location", "photo", "add", "DXB-001", f.photo, "--workspace", w, "--time-of-day", "day", "--finish", "gold"},
       workspace_admins},
      {{"proposal", "batch", f.proposals_csv, "--workspace", w, "--out", "batch"}, workspace_admins, -1},
      {{"mockup", "batch", f.mockups_csv, "--workspace", w, "--out", "mockups"}, workspace_admins, -1},
      {{"perm", "set", "grant", "Exports", "workspace:campaigns:update", "--workspace", w}, workspace_admins},
      {{"perm", "set", "revoke", "Exports", "workspace:campaigns:read", "--workspace", w}, workspace_admins},
      {{"perm", "set", "assign", "Exports", "wsadmin@acme.test", "--workspace", w}, workspace_admins},
      {{"perm", "set", "unassign", "Exports", "viewer@acme.test", "--workspace", w}, workspace_admins},
      {{"perm", "team", "move", "North", "--root", "--workspace", w}, workspace_admins},
      {{"perm", "team", "add", "Sales", "wsowner@acme.test", "--workspace", w}, workspace_admins},
      {{"perm", "team", "remove", "Sales", "viewer@acme.test", "--workspace", w}, workspace_admins},
      {{"perm", "unshare", campaign, "--user", "viewer@acme.test", "--workspace", w}, workspace_admins},
      {{"member", "role", "pmember@acme.test", "--partner", "acme", "admin"}, {"super@wfa.test"}},
      {{"member", "remove", "pmember@acme.test", "--partner", "acme", "--yes"}, partner_admins},
  };
}

/// reads are the verbs that change nothing: who may see what (everyone else gets 5, and lists show only what the
/// user may read, so a list is never a refusal).
std::vector<Case> reads(const MatrixFixture& f) {
  const std::string w = "acme/clinic";
  const std::string campaign = "campaign:" + f.campaign_id;
  const std::set<std::string> readers = {"viewer@acme.test",  "wsadmin@acme.test", "wsowner@acme.test",
                                         "pmember@acme.test", "padmin@acme.test",  "super@wfa.test"};
  // A workspace's viewers hold workspace:*:read (its invitations, profiles, teams, shares and audit entries
  // included); the partner's members read its workspaces.
  const std::set<std::string> everyone(actors.begin(), actors.end());
  const std::set<std::string> partner_readers = {"pmember@acme.test", "padmin@acme.test", "super@wfa.test"};
  const std::string out = (f.dir.path() / "export.csv").string();
  return {
      {{"workspace", "show", w}, readers},
      {{"member", "list", "--workspace", w}, readers},
      {{"member", "list", "--partner", "acme"}, partner_readers},
      {{"partner", "show", "acme"}, partner_readers},
      {{"domain", "list", "--partner", "acme"}, partner_readers},
      {{"invite", "list", "--workspace", w}, readers},
      {{"location", "list", "--workspace", w}, readers},
      {{"location", "show", "DXB-001", "--workspace", w}, readers},
      {{"rate-card", "list", "--workspace", w}, readers},
      {{"campaign", "list", "--workspace", w}, readers},
      {{"lead", "list", "--workspace", w}, readers},
      {{"number", "list", "--workspace", w}, readers},
      {{"campaign", "show", w + "/spring"}, readers},
      {{"perm", "profile", "list", "--workspace", w}, readers},
      {{"perm", "team", "list", "--workspace", w}, readers},
      {{"perm", "shares", campaign, "--workspace", w}, readers},
      {{"audit", "list", "--workspace", w}, readers},
      {{"audit", "list"}, super_only},
      {{"partner", "request", "list"}, super_only},
      {{"partner", "request", "show", f.request_id}, super_only},
      {{"partner", "request", "check-domain", "delta"}, everyone},  // an applicant has no account yet
      {{"user", "show", "viewer@acme.test"}, {"viewer@acme.test", "super@wfa.test"}},
      {{"super-admin", "list"}, super_only},
      {{"export", "calls", "--workspace", w, "--out", out}, workspace_admins},
      {{"export", "calls", "--out", out}, super_only},
      {{"export", "recipients", "--campaign", w + "/spring", "--out", out}, workspace_admins},
      {{"export", "proposals", "--workspace", w, "--out", out}, workspace_admins},
      {{"export", "leads", "--workspace", w, "--out", out}, workspace_admins},
      {{"export", "usage", "--workspace", w, "--out", out}, readers},
      {{"export", "usage", "--partner", "acme", "--out", out}, partner_readers},
      {{"export", "audit", "--workspace", w, "--out", out}, readers},
      {{"export", "audit", "--out", out}, super_only},
      {{"export", "invoices", "--partner", "acme", "--out", out}, partner_readers},
  };
}

void check_matrix(MatrixFixture& f, const std::vector<Case>& table, bool dry_run) {
  auto world = f.fingerprint();
  for (const auto& c : table) {
    std::string verb;
    for (const auto& a : c.args) verb += a + " ";
    for (const auto& actor : actors) {
      f.env["WFA_AS"] = actor;
      bool allowed = c.allowed.count(actor) > 0;
      if (allowed && c.allowed_exit < 0) continue;
      auto args = c.args;
      if (allowed && dry_run) args.push_back("--dry-run");
      auto r = f.run(args);
      ASSERT_NE(r.exit_code, 2) << verb << ": the row itself is malformed: " << r.err;
      int expected = allowed ? c.allowed_exit : 5;
      EXPECT_EQ(r.exit_code, expected) << verb << "--as " << actor << ": " << r.err;
      if (!allowed) {
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << verb << "--as " << actor << ": " << r.err;
        EXPECT_NE(r.err.find(actor), std::string::npos) << verb << ": the refusal names who was refused: " << r.err;
      }
      EXPECT_EQ(f.fingerprint(), world) << verb << "--as " << actor << " changed rows";
    }
  }
}

TEST(ActorMatrix, EveryMutatingVerbRefusesExactlyWhomTheMatrixSays) {
  MatrixFixture f;
  check_matrix(f, cases(f), true);
}

TEST(ActorMatrix, EveryReadingVerbShowsOnlyToWhomTheMatrixSays) {
  MatrixFixture f;
  check_matrix(f, reads(f), false);
}

}  // namespace
