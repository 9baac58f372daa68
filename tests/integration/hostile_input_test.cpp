// Text that strangers typed cannot drive a terminal, and no single field or record can grow without bound.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "commands/location/location.hpp"
#include "core/process.hpp"
#include "core/session.hpp"
#include "tests/integration/campaign_fixture.hpp"

namespace fs = std::filesystem;
using namespace wfa;

TEST(HostileInput, EscapesInStoredNamesAreShownAsTextOnATerminal) {
  test::IntegrationFixture f;
  f.add_partner("acme", "Acme");
  // Stored before the single-line check existed (or by hand): output must still be harmless.
  f.exec("ALTER TABLE partners DROP CONSTRAINT single_line__partners__name");
  f.exec("UPDATE partners SET name = E'Acme\\x1b]0;pwned\\x07\\x1b[2J' || chr(155) || 'x' WHERE slug = 'acme'");
  ProcessOptions options;
  options.set_env = f.env;
  options.set_env["NO_COLOR"] = "1";
  for (const char* format : {"table", "plain", "csv"}) {
    // script(1) runs wfa on a pseudo-terminal, as a person would see it.
    auto r = run_process({"script", "-qec", std::string("'") + WFA_BINARY + "' partner list -o " + format, "/dev/null"},
                         options);
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err << r.out;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << format << ": " << r.out;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << format << ": " << r.out;
    EXPECT_EQ(r.out.find("\xc2\x9b"), std::string::npos) << format << ": " << r.out;
    EXPECT_NE(r.out.find("Acme\\x1B]0;pwned\\x07\\x1B[2J\\x9Bx"), std::string::npos) << format << ": " << r.out;
  }
}

TEST(HostileInput, NamesWithControlCharactersOrTooLongAreRefusedOnInput) {
  test::IntegrationFixture f;
  auto escape = f.run({"partner", "create", "evil", "--name", "Evil\x1b[2J"});
  EXPECT_EQ(escape.exit_code, 6) << escape.err;
  EXPECT_EQ(test::lines(escape.err), 1u) << escape.err;
  EXPECT_NE(escape.err.find("--name contains a control character"), std::string::npos) << escape.err;
  auto long_name = f.run({"partner", "create", "long", "--name", std::string(201, 'x')});
  EXPECT_EQ(long_name.exit_code, 6) << long_name.err;
  EXPECT_EQ(f.count("partners"), 0);
  auto request = f.file("request.json", R"({"company": "Bell\u0007 Co", "contact_email": "a@b.example",
                                            "contact_name": "A", "subdomain": "bell"})");
  auto submitted = f.run({"partner", "request", "submit", "--file", request});
  EXPECT_EQ(submitted.exit_code, 6) << submitted.err;
  EXPECT_NE(submitted.err.find("--company contains a control character"), std::string::npos) << submitted.err;
  EXPECT_EQ(f.count("partner_requests"), 0);
}

TEST(HostileInput, ImportedFieldsHaveLimitsAndAreReportedWithTheirLine) {
  test::CampaignFixture f;
  std::string csv = "phone,first_name,last_name,company\n";
  csv += "+971500000001,Ana,Lima,Acme\n";                             // 2: fine
  csv += "+971500000002,\"Bo\x1b[2J\",Smith,Acme\n";                  // 3: escape
  csv += "+971500000003," + std::string(201, 'n') + ",Jones,Acme\n";  // 4: too long
  csv += "+971500000004,Cy,\"Two\nLines\",Acme\n";                    // 5-6: folded
  auto file = f.file("hostile.csv", csv);
  auto r = f.run({"campaign", "import", "acme/main/spring", file, "--allow-partial"});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("line 3: first_name contains a control character"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 4: first_name is longer than 200 characters"), std::string::npos) << r.err;
  EXPECT_EQ(f.recipients(), 2);
  EXPECT_EQ(f.value("SELECT last_name FROM campaign_recipients WHERE phone = '+971500000004'"), "Two Lines");

  std::string wide = "phone";
  for (int i = 0; i < 101; ++i) wide += ",v" + std::to_string(i);
  auto columns = f.file("wide.csv", wide + "\n+971500000009" + std::string(101, ',') + "\n");
  auto refused = f.run({"campaign", "import", "acme/main/spring", columns});
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_NE(refused.err.find("wide.csv:1: 101 columns would become variables, more than 100"), std::string::npos)
      << refused.err;
  EXPECT_EQ(f.recipients(), 2);
}

TEST(HostileInput, FormulasAreGuardedInCsvAndExportsAndComeBackOnImport) {
  test::CampaignFixture f;
  auto csv = f.file("in.csv",
                    "phone,first_name,last_name,company\n"
                    "+971500000001,=HYPERLINK(\"http://evil.example\"),@Lima,-cmd\n"
                    "+971500000002,Bo,Smith,Acme\n");
  ASSERT_EQ(f.run({"campaign", "import", "acme/main/spring", csv}).exit_code, 0);
  auto listed = f.run({"campaign", "recipients", "list", "acme/main/spring", "-o", "csv"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("+971500000001,\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@Lima"), std::string::npos)
      << listed.out;
  auto raw = f.run({"--raw", "campaign", "recipients", "list", "acme/main/spring", "-o", "csv"});
  EXPECT_NE(raw.out.find(",\"=HYPERLINK("), std::string::npos) << raw.out;

  auto out = (f.dir.path() / "export.csv").string();
  ASSERT_EQ(f.run({"campaign", "recipients", "export", "acme/main/spring", "--out", out}).exit_code, 0);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find("\"'=HYPERLINK(\"\"http://evil.example\"\")\",'@Lima"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find(",'-cmd,"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("+971500000002,Bo,Smith"), std::string::npos) << "phones are not guarded";

  f.exec(
      "INSERT INTO campaigns (workspace_id, name, timezone, created_by) SELECT id, 'again', 'UTC', 'test' FROM "
      "workspaces");
  ASSERT_EQ(f.run({"campaign", "import", "acme/main/again", out}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT count(*) FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id WHERE"
                    " c.name = 'again' AND first_name = '=HYPERLINK(\"http://evil.example\")' AND last_name = '@Lima'"
                    " AND company = '-cmd'"),
            "1")
      << "the import takes the guard off again";
}

TEST(HostileInput, TimesThatDoNotExistAreRefusedNotShifted) {
  test::CampaignFixture f;
  auto create = [&](const std::string& name, const std::string& start) {
    return f.run({"campaign", "create", name, "--workspace", "acme/main", "--timezone", "America/New_York", "--start",
                  start, "--end", "2026-04-30T12:00:00"});
  };
  auto skipped = create("spring-forward", "2026-03-08 02:30");
  EXPECT_EQ(skipped.exit_code, 6) << skipped.err;
  EXPECT_EQ(test::lines(skipped.err), 1u) << skipped.err;
  EXPECT_NE(skipped.err.find("does not exist in America/New_York"), std::string::npos) << skipped.err;
  auto midnight = create("midnight", "2026-03-09T24:00:00");
  EXPECT_EQ(midnight.exit_code, 6) << midnight.err;
  EXPECT_NE(midnight.err.find("has hour 24"), std::string::npos) << midnight.err;
  auto leap = create("leap", "2026-03-09T23:59:60");
  EXPECT_EQ(leap.exit_code, 6) << leap.err;
  EXPECT_NE(leap.err.find("second 60"), std::string::npos) << leap.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM campaigns"), "1") << "only the fixture's campaign";
  EXPECT_EQ(create("fine", "2026-03-08 03:30").exit_code, 0) << "the hour after the jump exists";
  EXPECT_EQ(f.value("SELECT starts_at AT TIME ZONE 'UTC' FROM campaigns WHERE name = 'fine'"), "2026-03-08 07:30:00");
}

TEST(HostileInput, LocationImportsRefuseEscapesAndOverlongFieldsWithTheirLine) {
  test::IntegrationFixture f;
  f.add_partner("acme", "Acme");
  f.add_workspace("acme", "main", "Main");
  auto csv = f.file("locations.csv",
                    "location_key,display_name,address\n"
                    "DXB-1,Fine,Sheikh Zayed Road\n"
                    "DXB-2,\"Evil\x1b[2J\",Road\n"
                    "DXB-3,Long," +
                        std::string(501, 'a') + "\n");
  auto r = f.run({"location", "import", csv, "--workspace", "acme/main"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("locations.csv:3: name of location DXB-2 contains a control character"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(and 1 more bad rows)"), std::string::npos) << r.err;
  auto long_only = f.file("long.csv", "location_key,display_name,address\nDXB-3,Long," + std::string(501, 'a') + "\n");
  auto l = f.run({"location", "import", long_only, "--workspace", "acme/main"});
  EXPECT_NE(l.err.find("long.csv:2: address of location DXB-3 is longer than 500 characters"), std::string::npos)
      << l.err;
  EXPECT_EQ(f.count("locations"), 0) << "all or nothing";
}

TEST(HostileInput, AnInterruptedLocationImportChangesNothing) {
  test::IntegrationFixture f;
  f.add_partner("acme", "Acme");
  f.add_workspace("acme", "main", "Main");
  auto csv = f.file("locations.csv", "location_key,display_name\nDXB-1,One\nDXB-2,Two\n");
  auto& session = f.session();
  session.cancellation().cancel();  // as SIGINT does through the CLI's interruptible hook
  try {
    run_location_import({csv, "auto", "acme/main", false}, session);
    ADD_FAILURE() << "an interrupted import must not commit";
  } catch (const InterruptedError& e) {
    EXPECT_NE(std::string(e.what()).find("interrupted: the location import of"), std::string::npos) << e.what();
  }
  EXPECT_EQ(f.count("locations"), 0);
  EXPECT_EQ(f.count("audit_log"), 0);
}
