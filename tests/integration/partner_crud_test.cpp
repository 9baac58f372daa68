// `wfa partner create|list|show|update|delete|restore` against a real PostgreSQL.
#include "tests/integration/partner_fixture.hpp"

using namespace wfa;
using partner_test::json;

TEST(PartnerCrud, CreateShowAndListWithTheDocumentedFields) {
  partner_test::Fixture f;
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto doc = f.run_json({"partner", "create", "acme", "--name", "Acme Media", "--plan", "professional",
                         "--primary-color", "#abcdef", "--logo", "https://acme.example/l.png"});
  ASSERT_TRUE(doc.is_object());
  for (const char* key : {"id", "slug", "name", "plan_tier", "is_platform_partner", "subscription_status", "branding",
                          "features", "resource_limits", "workspace_count", "domains", "trial_ends_at",
                          "current_period_end", "created_at", "updated_at", "deleted_at"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(
      doc["branding"],
      json({{"company_name", "Acme Media"}, {"primary_color", "#ABCDEF"}, {"logo", "https://acme.example/l.png"}}));
  EXPECT_EQ(doc["features"]["white_label"], true) << "professional plan defaults";
  EXPECT_EQ(doc["resource_limits"]["max_workspaces"], 25);
  EXPECT_EQ(doc["workspace_count"], 0);
  ASSERT_EQ(doc["domains"].size(), 1u);
  EXPECT_EQ(doc["domains"][0]["hostname"], "acme.wfa.example");
  EXPECT_EQ(doc["domains"][0]["verified"], true);
  EXPECT_EQ(f.value("SELECT actor FROM audit_log WHERE action = 'partner.create'"), "ops@wfa.example");

  auto id = doc["id"].get<std::string>();
  EXPECT_EQ(f.run_json({"partner", "show", "acme"})["id"], id);
  EXPECT_EQ(f.run_json({"partner", "show", id})["slug"], "acme");
  auto missing = f.run({"partner", "show", "nobody"});
  EXPECT_EQ(missing.exit_code, 3) << missing.err;

  ASSERT_EQ(f.run({"partner", "create", "basic", "--name", "Basic"}).exit_code, 0);
  auto list = f.run_json({"partner", "list"});
  ASSERT_EQ(list["partners"].size(), 2u);
  for (const char* key : {"id", "slug", "name", "plan_tier", "is_platform_partner", "subscription_status",
                          "primary_domain", "workspace_count", "created_at", "deleted_at"})
    EXPECT_TRUE(list["partners"][0].contains(key)) << key;
  EXPECT_EQ(list["partners"][0]["slug"], "acme");
  EXPECT_EQ(list["partners"][0]["primary_domain"], "acme.wfa.example");
  auto starters = f.run_json({"partner", "list", "--plan", "starter"});
  ASSERT_EQ(starters["partners"].size(), 1u);
  EXPECT_EQ(starters["partners"][0]["slug"], "basic");
  EXPECT_EQ(f.run({"partner", "list", "--plan", "gold"}).exit_code, 6);
  auto plain = f.run({"partner", "list", "-o", "plain"});
  EXPECT_EQ(test::lines(plain.out), 2u) << plain.out;
}

TEST(PartnerCrud, CreateRefusesBadInputAndExistingSlugs) {
  partner_test::Fixture f;
  struct Case {
    std::vector<std::string> args;
    int exit;
    std::string expect;
  } cases[] = {
      {{"Bad_Slug", "--name", "X"}, 6, "Bad_Slug"},
      {{"-x", "--name", "X"}, 2, ""},
      {{"admin", "--name", "X"}, 4, "reserved"},
      {{"acme", "--name", "X", "--plan", "gold"}, 6, "gold"},
      {{"acme", "--name", "X", "--primary-color", "#12345"}, 6, "--primary-color"},
      {{"acme", "--name", "X", "--logo", "/missing/logo.svg"}, 3, "--logo"},
      {{"acme", "--name", " "}, 6, "--name"},
      {{"acme"}, 2, "--name"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"partner", "create"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = f.run(args);
    EXPECT_EQ(r.exit_code, c.exit) << c.args[0] << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
  }
  EXPECT_EQ(f.db.count("partners"), 0);

  ASSERT_EQ(f.run({"partner", "create", "acme", "--name", "Acme"}).exit_code, 0);
  auto before = f.counts();
  auto again = f.run({"partner", "create", "acme", "--name", "Acme 2"});
  EXPECT_EQ(again.exit_code, 4) << again.err;
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  auto idem = f.run({"partner", "create", "acme", "--name", "Acme 2", "--if-not-exists", "-o", "json"});
  EXPECT_EQ(idem.exit_code, 0) << idem.err;
  EXPECT_EQ(json::parse(idem.out)["name"], "Acme") << "unchanged";
  EXPECT_EQ(f.counts(), before);

  f.exec(
      "INSERT INTO partner_domains (partner_id, hostname, verification_token)"
      " SELECT id, 'held.wfa.example', 't' FROM partners WHERE slug = 'acme'");
  EXPECT_EQ(f.run({"partner", "create", "held", "--name", "Held"}).exit_code, 4) << "its subdomain is a domain already";

  ASSERT_EQ(f.run({"partner", "create", "platform", "--name", "Platform", "--platform"}).exit_code, 0);
  EXPECT_EQ(
      f.value(
          "SELECT count(*) FROM partner_domains d JOIN partners p ON p.id = d.partner_id WHERE p.slug = 'platform'"),
      "0");
  auto second = f.run({"partner", "create", "platform2", "--name", "Platform 2", "--platform"});
  EXPECT_EQ(second.exit_code, 4) << second.err;
}

TEST(PartnerCrud, CreateDryRunChangesNothing) {
  partner_test::Fixture f;
  auto before = f.counts();
  auto r = f.run({"partner", "create", "acme", "--name", "Acme", "--dry-run", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["slug"], "acme");
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  EXPECT_EQ(f.counts(), before);
}

TEST(PartnerCrud, UpdateBrandingPlanLimitsAndFeaturesWithAudit) {
  partner_test::Fixture f;
  ASSERT_EQ(f.run({"partner", "create", "acme", "--name", "Acme"}).exit_code, 0);
  f.env["WFA_ACTOR"] = "ops@wfa.example";
  auto doc = f.run_json({"partner", "update", "acme", "--name", "Acme Ltd", "--primary-color", "#00aa00",
                         "--secondary-color", "#111111", "--company-name", "Acme Limited", "--limit", "max_users=42",
                         "--feature", "api_access=true"});
  EXPECT_EQ(doc["name"], "Acme Ltd");
  EXPECT_EQ(doc["branding"]["primary_color"], "#00AA00");
  EXPECT_EQ(doc["branding"]["secondary_color"], "#111111");
  EXPECT_EQ(doc["branding"]["company_name"], "Acme Limited");
  EXPECT_EQ(doc["resource_limits"]["max_users"], 42);
  EXPECT_EQ(doc["resource_limits"]["max_workspaces"], 3) << "other starter limits stay";
  EXPECT_EQ(doc["features"]["api_access"], true);
  EXPECT_EQ(f.value("SELECT (old_values->>'name') || '>' || (new_values->>'name') FROM audit_log"
                    " WHERE action = 'partner.update' AND actor = 'ops@wfa.example'"),
            "Acme>Acme Ltd");

  auto plan = f.run_json({"partner", "update", "acme", "--plan", "enterprise", "--limit", "max_workspaces=800"});
  EXPECT_EQ(plan["plan_tier"], "enterprise");
  EXPECT_EQ(plan["resource_limits"]["max_workspaces"], 800) << "explicit limits win over the new plan";
  EXPECT_EQ(plan["resource_limits"]["max_users"], 5000) << "the new plan's defaults replace old overrides";
  EXPECT_EQ(plan["features"]["sso"], true);

  auto audits = f.db.count("audit_log");
  auto same = f.run({"partner", "update", "acme", "--plan", "enterprise", "--limit", "max_workspaces=800"});
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;
  EXPECT_EQ(f.db.count("audit_log"), audits);

  auto removed = f.run_json({"partner", "update", "acme", "--secondary-color", ""});
  EXPECT_FALSE(removed["branding"].contains("secondary_color"));
}

TEST(PartnerCrud, UpdateRefusesBadValuesAndDryRunChangesNothing) {
  partner_test::Fixture f;
  ASSERT_EQ(f.run({"partner", "create", "acme", "--name", "Acme"}).exit_code, 0);
  struct Case {
    std::vector<std::string> flags;
    int exit;
    std::string expect;
  } cases[] = {
      {{"--secondary-color", "#GGGGGG"}, 6, "--secondary-color"},
      {{"--primary-color", "red"}, 6, "--primary-color"},
      {{"--limit", "max_users"}, 6, "KEY=VALUE"},
      {{"--limit", "max_users=-1"}, 6, "max_users"},
      {{"--limit", "max_users=ten"}, 6, "max_users"},
      {{"--limit", "max_userz=10"}, 6, "max_userz"},
      {{"--feature", "sso=yes"}, 6, "sso"},
      {{"--feature", "teleport=true"}, 6, "teleport"},
      {{"--plan", "gold"}, 6, "gold"},
      {{"--name", ""}, 6, "--name"},
      {{}, 2, "nothing to update"},
  };
  auto before = f.counts();
  auto snapshot = f.value("SELECT to_jsonb(p) FROM partners p");
  for (const auto& c : cases) {
    std::vector<std::string> args = {"partner", "update", "acme"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    auto r = f.run(args);
    EXPECT_EQ(r.exit_code, c.exit) << (c.flags.empty() ? "" : c.flags[1]) << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
  }
  auto dry = f.run({"partner", "update", "acme", "--name", "Dry", "--plan", "enterprise", "--dry-run", "-o", "json"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(json::parse(dry.out)["name"], "Dry");
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT to_jsonb(p) FROM partners p"), snapshot);
  EXPECT_EQ(f.run({"partner", "update", "nobody", "--name", "X"}).exit_code, 3);
}

TEST(PartnerCrud, DeleteIsSoftConfirmedAndRestorable) {
  partner_test::Fixture f;
  ASSERT_EQ(f.run({"partner", "create", "acme", "--name", "Acme"}).exit_code, 0);
  ASSERT_EQ(f.run({"partner", "create", "platform", "--name", "Platform", "--platform"}).exit_code, 0);
  auto refused = f.run({"partner", "delete", "acme"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--yes"), std::string::npos) << refused.err;
  auto before = f.counts();
  ASSERT_EQ(f.run({"partner", "delete", "acme", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.counts(), before);
  EXPECT_EQ(f.value("SELECT deleted_at FROM partners WHERE slug = 'acme'"), "");
  f.env["WFA_ACTOR"] = "ops@wfa.example";

  auto deleted = f.run_json({"partner", "delete", "acme", "--yes"});
  EXPECT_TRUE(deleted["deleted_at"].is_string());
  EXPECT_EQ(f.db.count("partners"), 2) << "soft: the row stays";
  EXPECT_EQ(f.run_json({"partner", "list"})["partners"].size(), 1u);
  EXPECT_EQ(f.run_json({"partner", "list", "--include-deleted"})["partners"].size(), 2u);
  EXPECT_EQ(f.run({"partner", "delete", "acme", "--yes"}).exit_code, 0) << "deleting again is a no-op";
  EXPECT_EQ(f.run({"partner", "update", "acme", "--name", "X"}).exit_code, 3);
  EXPECT_EQ(f.run_json({"partner", "show", "acme"})["slug"], "acme") << "show finds deleted partners";
  EXPECT_EQ(f.value("SELECT (old_values->>'deleted_at' IS NULL)::text || (new_values->>'deleted_at' IS NOT NULL)::text"
                    " FROM audit_log WHERE action = 'partner.delete' AND actor = 'ops@wfa.example'"),
            "truetrue");

  auto restored = f.run_json({"partner", "restore", "acme"});
  EXPECT_TRUE(restored["deleted_at"].is_null());
  EXPECT_EQ(f.run({"partner", "restore", "acme"}).exit_code, 0) << "restoring a live partner is a no-op";
  EXPECT_EQ(f.value("SELECT count(*) FROM audit_log WHERE action = 'partner.restore'"), "1");

  auto platform = f.run({"partner", "delete", "platform", "--yes"});
  EXPECT_EQ(platform.exit_code, 4) << platform.err;
  EXPECT_EQ(f.run({"partner", "delete", "nobody", "--yes"}).exit_code, 3);
}
