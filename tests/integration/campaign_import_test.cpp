// `wfa campaign import` on a real PostgreSQL: atomicity, partial mode, duplicates, idempotence, kill -9.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include "core/embedded_cluster.hpp"

#include "tests/integration/campaign_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// generated writes a CSV of ROWS valid AE recipients (phones +97150NNNNNNN) to PATH; BAD_LINE (a
/// physical line, the header being line 1) gets an invalid phone.
void generated(const std::string& path, long rows, long bad_line = 0) {
  std::ofstream out(path, std::ios::binary);
  out << "\xEF\xBB\xBFphone,first_name,last_name,email,var_plan\r\n";
  char line[160];
  for (long i = 0; i < rows; ++i) {
    if (i + 2 == bad_line) {
      out << "N/A,Bad,Row,,Pro\r\n";
      continue;
    }
    int n =
        std::snprintf(line, sizeof line, "+97150%07ld,Name%ld,\"Family, %ld\",user%ld@example.com,Pro\r\n", i, i, i, i);
    out.write(line, n);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const char* const mixed_csv =
    "Mobile,Given Name,Surname,E-Mail,TZ,Plan,Notes\r\n"
    "050 123 4567,Ana,Lima,ana@example.com,Asia/Dubai,Pro,\"said \"\"hi\"\", twice\"\r\n"  // line 2
    "N/A,Bad,Phone,,,,\r\n"                                                                // 3: rejected
    "+971501234567,Dup,Licate,,,,\r\n"                                                     // 4: duplicate of 2
    "+44 7911 123456,Bo,Smith,not-an-email,,,\r\n"                                         // 5: rejected
    "+1 415 555 1234,Cy,Jones,,Mars/Base,,\r\n"                                            // 6: rejected
    "00966501234567,Di,\"Multi\r\nLine\",,,Gold,\r\n"                                      // 7-8
    "+91 98765 43210,Ed,Too,,Many,Fields,x,y\r\n"                                          // 9: rejected
    "+33 6 12 34 56 78,Flo,,,,,\r\n";                                                      // 10

}  // namespace

TEST(CampaignImport, AllOrNothingByDefaultWithEveryRejectReported) {
  test::CampaignFixture f;
  auto csv = f.file("mixed.csv", mixed_csv);
  auto rejects = (f.dir.path() / "rejects.csv").string();
  auto r = f.run({"campaign", "import", "acme/main/spring", csv, "--default-country", "AE", "--reject-file", rejects});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("4 of 8 rows of " + csv + " rejected; nothing imported"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--allow-partial"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 3: phone 'N/A' contains letters"), std::string::npos) << r.err;
  EXPECT_EQ(f.recipients(), 0);
  EXPECT_EQ(f.db.count("campaign_imports"), 0);
  auto text = read_file(rejects);
  EXPECT_EQ(text.substr(0, text.find("\r\n")), "line,reason,Mobile,Given Name,Surname,E-Mail,TZ,Plan,Notes");
  EXPECT_NE(text.find("\r\n3,phone 'N/A' contains letters,N/A,Bad,Phone,,,,\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\n4,duplicate: same phone as line 2,+971501234567,Dup,Licate,,,,\r\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\r\n5,email 'not-an-email' is not an e-mail address,"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\n6,timezone 'Mars/Base' is unknown"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\n9,\"row has 8 fields, the header has 7\",+91 98765 43210,Ed,Too,,Many,Fields,x,y\r\n"),
            std::string::npos)
      << text;
}

TEST(CampaignImport, AllowPartialCommitsTheValidRowsAndExitsEight) {
  test::CampaignFixture f;
  auto csv = f.file("mixed.csv", mixed_csv);
  auto r = f.run(
      {"campaign", "import", "acme/main/spring", csv, "--default-country", "AE", "--allow-partial", "-o", "json"});
  ASSERT_EQ(r.exit_code, 8) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["rows_read"], 8);
  EXPECT_EQ(doc["imported"], 3);
  EXPECT_EQ(doc["duplicates"], 1);
  EXPECT_EQ(doc["rejected"], 4);
  EXPECT_NE(r.err.find("imported 3 of 8 rows"), std::string::npos) << r.err;
  auto rows = f.sql(
      "SELECT phone, first_name, last_name, email, timezone, variables::text FROM campaign_recipients ORDER BY id");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "+971501234567");
  EXPECT_EQ(rows[0][1].as<std::string>(), "Ana");
  EXPECT_EQ(rows[0][4].as<std::string>(), "Asia/Dubai");
  EXPECT_EQ(rows[0][5].as<std::string>(), R"({"plan": "Pro", "notes": "said \"hi\", twice"})");
  EXPECT_EQ(rows[1][0].as<std::string>(), "+966501234567");
  EXPECT_EQ(rows[1][2].as<std::string>(), "Multi Line") << "a name is one line: its line break became a space";
  EXPECT_EQ(rows[2][0].as<std::string>(), "+33612345678");
  EXPECT_TRUE(rows[2][2].is_null()) << "empty values are NULL";
  EXPECT_EQ(f.db.value("SELECT rows_imported || '/' || duplicates || '/' || rejected FROM campaign_imports"), "3/1/4");
  EXPECT_EQ(f.db.value("SELECT action FROM audit_log"), "campaign.import");
}

TEST(CampaignImport, NumbersAreNationalFirstAndTheOnesReadAsInternationalAreCounted) {
  test::CampaignFixture f;
  auto us = f.file("us.csv", "phone,name\r\n(469) 555-0123,Dallas\r\n(323) 555-0123,LA\r\n+44 7911 123456,UK\r\n");
  auto r = f.run({"campaign", "import", "acme/main/spring", us, "--default-country", "US", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["read_as_international"], 0);
  EXPECT_EQ(f.db.value("SELECT string_agg(phone, ' ' ORDER BY phone) FROM campaign_recipients"),
            "+13235550123 +14695550123 +447911123456");
  f.db.exec("DELETE FROM campaign_recipients");
  auto ae = f.file("ae.csv",
                   "phone,name\r\n4 312 3456,Dubai landline\r\n1-415-555-2671,San Francisco\r\n"
                   "\u0660\u0665\u0660 \u0661\u0662\u0663 \u0664\u0665\u0666\u0667,Arabic-Indic\r\n"
                   "+1 900 555 0123,Premium\r\n");
  r = f.run({"campaign", "import", "acme/main/spring", ae, "--default-country", "AE", "--allow-partial", "-o", "json"});
  ASSERT_EQ(r.exit_code, 8) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["imported"], 3);
  EXPECT_EQ(doc["read_as_international"], 1);
  EXPECT_EQ(f.db.value("SELECT string_agg(phone, ' ' ORDER BY phone) FROM campaign_recipients"),
            "+14155552671 +97143123456 +971501234567");
  EXPECT_NE(r.err.find("line 5: phone '+1 900 555 0123' is a premium-rate number"), std::string::npos) << r.err;
  auto one = f.file("one.csv", "phone,name\r\n966 50 123 4567,Riyadh\r\n");
  r = f.run({"campaign", "import", "acme/main/spring", one, "--default-country", "AE", "--dry-run"});
  EXPECT_NE((r.out + r.err).find("1 numbers without + read as international"), std::string::npos)
      << "out: " << r.out << " err: " << r.err;
}

TEST(CampaignImport, ExcelUnicodeTextAndWindows1252FilesImport) {
  test::CampaignFixture f;
  // Excel's "Unicode text": UTF-16LE with a byte-order mark, tab-separated.
  std::u16string text = u"Mobile No.\tFirst Name\r\n+971 50 123 4567\t\u0645\u062D\u0645\u062F\r\n";
  std::string utf16 = "\xFF\xFE";
  for (char16_t c : text) utf16 += static_cast<char>(c & 0xFF), utf16 += static_cast<char>(c >> 8);
  auto r = f.run({"campaign", "import", "acme/main/spring", f.file("u16.txt", utf16), "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(f.db.value("SELECT phone || ' ' || first_name FROM campaign_recipients"),
            "+971501234567 \xD9\x85\xD8\xAD\xD9\x85\xD8\xAF");
  auto cp1252 = f.file("w.csv",
                       "phone;first_name\r\n+44 7911 123456;Ren\xE9"
                       "e \x93"
                       "Bo\x94\r\n");
  r = f.run({"campaign", "import", "acme/main/spring", cp1252, "--encoding", "windows-1252"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  EXPECT_EQ(f.db.value("SELECT first_name FROM campaign_recipients WHERE phone = '+447911123456'"),
            "Ren\xC3\xA9"
            "e \xE2\x80\x9C"
            "Bo\xE2\x80\x9D");
  auto zip = f.run({"campaign", "import", "acme/main/spring", f.file("x.csv", std::string("PK\x03\x04rest", 8))});
  EXPECT_EQ(zip.exit_code, 6);
  EXPECT_NE(zip.err.find("ZIP archive"), std::string::npos) << zip.err;
}

TEST(CampaignImport, MaxErrorsCapsTheRejects) {
  test::CampaignFixture f;
  auto csv = f.file("mixed.csv", mixed_csv);
  auto over = f.run({"campaign", "import", "acme/main/spring", csv, "--default-country", "AE", "--max-errors", "2"});
  EXPECT_EQ(over.exit_code, 6) << over.err;
  EXPECT_NE(over.err.find("stopped after 3 rejected rows (--max-errors 2); nothing imported"), std::string::npos)
      << over.err;
  EXPECT_EQ(f.recipients(), 0);
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", csv, "--default-country", "AE", "--max-errors", "10%"})
                .exit_code,
            6);
  EXPECT_EQ(f.recipients(), 0);
  EXPECT_EQ(
      f.run({"campaign", "import", "acme/main/spring", csv, "--default-country", "AE", "--max-errors", "4"}).exit_code,
      8);
  EXPECT_EQ(f.recipients(), 3);
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", csv, "--max-errors", "many"}).exit_code, 6);
}

TEST(CampaignImport, DuplicatesAgainstTheCampaignAndReimportIdempotence) {
  test::CampaignFixture f;
  auto first = f.file("a.csv", "phone,name\n+971501111111,A\n+971502222222,B\n");
  auto second = f.file("b.csv", "tel;name\n050 222 2222;B again\n050 333 3333;C\n050 333 3333;C twice\n");
  ASSERT_EQ(f.run({"campaign", "import", "acme/main/spring", first}).exit_code, 0);
  auto again = f.run({"campaign", "import", "acme/main/spring", first, "-o", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("was already imported"), std::string::npos) << again.err;
  EXPECT_EQ(json::parse(again.out)["imported"], 0);
  EXPECT_EQ(f.db.count("campaign_imports"), 1);
  auto r = f.run({"campaign", "import", "acme/main/spring", second, "--default-country", "ae", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["imported"], 1);
  EXPECT_EQ(doc["duplicates"], 2) << "one already in the campaign, one repeated in the file";
  EXPECT_EQ(f.recipients(), 3);
  EXPECT_EQ(f.db.value("SELECT first_name FROM campaign_recipients WHERE phone = '+971503333333'"), "C")
      << "the first occurrence wins";
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", second, "--default-country", "AE"}).exit_code, 0)
      << "other options make another import, but every row is a duplicate now";
  EXPECT_EQ(f.recipients(), 3);
}

TEST(CampaignImport, DryRunWritesNothing) {
  test::CampaignFixture f;
  auto csv = f.file("a.csv", "phone\n+971501111111\n+971502222222\n");
  auto r = f.run({"campaign", "import", "acme/main/spring", csv, "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("dry run: would import 2 of 2 rows"), std::string::npos) << r.err;
  EXPECT_EQ(f.recipients(), 0);
  EXPECT_EQ(f.db.count("campaign_imports"), 0);
  EXPECT_EQ(f.db.count("audit_log"), 0);
}

TEST(CampaignImport, Latin1AndExplicitDelimiter) {
  test::CampaignFixture f;
  auto csv = f.file("l.csv", "Nummer|Vorname\n+49 151 23456789|J\xFCrgen\n");
  auto r = f.run({"campaign", "import", "acme/main/spring", csv, "--encoding", "latin1", "--delimiter", "|", "--map",
                  "phone=Nummer", "--map", "first_name=Vorname"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(f.db.value("SELECT phone || ' ' || first_name FROM campaign_recipients"), "+4915123456789 J\xC3\xBCrgen");
  auto utf8 = f.file("bad.csv", "phone,name\n+971501111111,J\xFCrgen\n");
  auto bad = f.run({"campaign", "import", "acme/main/spring", utf8});
  EXPECT_EQ(bad.exit_code, 6);
  EXPECT_NE(bad.err.find("line 2: invalid UTF-8"), std::string::npos) << bad.err;
}

TEST(CampaignImport, BadInputIsReportedWithTheFileAndWhatToDo) {
  test::CampaignFixture f;
  auto ok = f.file("ok.csv", "phone\n+971501111111\n");
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/nope", ok}).exit_code, 3);
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", (f.dir.path() / "missing.csv").string()}).exit_code, 6);
  auto empty = f.run({"campaign", "import", "acme/main/spring", f.file("empty.csv", "")});
  EXPECT_EQ(empty.exit_code, 6);
  EXPECT_NE(empty.err.find("is empty: no header row"), std::string::npos) << empty.err;
  auto header_only = f.run({"campaign", "import", "acme/main/spring", f.file("h.csv", "phone,name\r\n")});
  EXPECT_EQ(header_only.exit_code, 0) << header_only.err;
  auto no_phone = f.run({"campaign", "import", "acme/main/spring", f.file("n.csv", "name,city\nA,B\n")});
  EXPECT_EQ(no_phone.exit_code, 6);
  EXPECT_NE(no_phone.err.find("has no phone column (columns: name, city)"), std::string::npos) << no_phone.err;
  EXPECT_NE(no_phone.err.find("--map phone="), std::string::npos) << no_phone.err;
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", ok, "--delimiter", "x"}).exit_code, 6);
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", ok, "--encoding", "ebcdic"}).exit_code, 6);
  auto country = f.run({"campaign", "import", "acme/main/spring", ok, "--default-country", "ZZ"});
  EXPECT_EQ(country.exit_code, 6);
  EXPECT_NE(country.err.find("AE"), std::string::npos) << country.err;
  f.db.exec("UPDATE campaigns SET status = 'cancelled'");
  EXPECT_EQ(f.run({"campaign", "import", "acme/main/spring", ok}).exit_code, 4);
  EXPECT_EQ(f.recipients(), 0);
}

TEST(CampaignImport, BadRowAtLine999999LeavesZeroRows) {
  test::CampaignFixture f;
  auto csv = (f.dir.path() / "big.csv").string();
  generated(csv, 999999, 999999);
  auto rejects = (f.dir.path() / "rejects.csv").string();
  auto r = f.run({"campaign", "import", "acme/main/spring", csv, "--reject-file", rejects});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("1 of 999,999 rows"), std::string::npos) << r.err;
  EXPECT_EQ(f.recipients(), 0);
  auto text = read_file(rejects);
  EXPECT_NE(text.find("\r\n999999,phone 'N/A' contains letters,N/A,Bad,Row,,Pro\r\n"), std::string::npos) << text;
  auto partial = f.run({"campaign", "import", "acme/main/spring", csv, "--allow-partial", "-o", "json"});
  ASSERT_EQ(partial.exit_code, 8) << partial.err;
  EXPECT_EQ(json::parse(partial.out)["imported"], 999998);
  EXPECT_EQ(f.recipients(), 999998);
  EXPECT_EQ(f.db.value("SELECT last_name FROM campaign_recipients WHERE phone = '+971500000007'"), "Family, 7");
}

namespace {

/// spawn_background starts ARGS (ARGS[0] the binary) with exactly ENV_TEXT and stderr to ERR_PATH; its pid, or -1.
pid_t spawn_background(std::vector<std::string> args, std::vector<std::string> env_text, const std::string& err_path) {
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_text) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

/// spawn_import starts `wfa campaign import` of CSV in the background and waits until its COPY is under way.
pid_t spawn_import(test::CampaignFixture& f, const std::string& csv, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {WFA_BINARY, "campaign", "import", "acme/main/spring", csv};
  args.insert(args.end(), extra.begin(), extra.end());
  auto pid = spawn_background(args, {"WFA_DATABASE_URL=" + f.db.url(), "PATH=/usr/bin:/bin"},
                              (f.dir.path() / "import.err").string());
  if (pid < 0) return -1;
  for (int i = 0; i < 1000; ++i) {
    if (f.db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'") ==
        "1")
      return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

/// wait_for_no_copy waits until the database has no COPY left running (the killed client's backend ends).
void wait_for_no_copy(test::CampaignFixture& f) {
  for (int i = 0; i < 500; ++i) {
    if (f.db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'") ==
        "0")
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

TEST(CampaignImport, KillNineDuringTheImportLeavesNoRows) {
  test::CampaignFixture f;
  auto csv = (f.dir.path() / "kill.csv").string();
  generated(csv, 400000);
  pid_t pid = spawn_import(f, csv);
  ASSERT_GT(pid, 0) << "the import never reached COPY";
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  wait_for_no_copy(f);
  EXPECT_EQ(f.recipients(), 0);
  EXPECT_EQ(f.db.count("campaign_imports"), 0);
  EXPECT_EQ(f.db.count("audit_log"), 0);
}

TEST(CampaignImport, SigintAndSigtermEndTheImportWith130OneLineAndNoRows) {
  test::CampaignFixture f;
  auto csv = (f.dir.path() / "stop.csv").string();
  generated(csv, 400000);
  auto rejects = f.dir.path() / "rejects.csv";
  for (int sig : {SIGINT, SIGTERM}) {
    pid_t pid = spawn_import(f, csv, {"--reject-file", rejects.string()});
    ASSERT_GT(pid, 0) << "the import never reached COPY";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_EQ(kill(pid, sig), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status)) << "the signal must end the import through wfa, not kill it";
    EXPECT_EQ(WEXITSTATUS(status), 130);
    auto err = read_file((f.dir.path() / "import.err").string());
    EXPECT_EQ(test::lines(err), 1u) << err;
    EXPECT_NE(err.find("interrupted"), std::string::npos) << err;
    EXPECT_NE(err.find("nothing imported"), std::string::npos) << err;
    EXPECT_EQ(f.recipients(), 0);
    EXPECT_EQ(f.db.count("campaign_imports"), 0);
    EXPECT_EQ(f.db.count("audit_log"), 0);
    EXPECT_FALSE(std::filesystem::exists(rejects)) << "an interrupted run publishes no reject file";
    for (const auto& e : std::filesystem::directory_iterator(f.dir.path()))
      EXPECT_EQ(e.path().filename().string().find(".wfa-tmp-"), std::string::npos) << e.path();
  }
}

TEST(CampaignImport, ConnectionLostDuringCopyIsExit7WithOneLineAndNoRows) {
  test::CampaignFixture f;
  auto csv = (f.dir.path() / "lost.csv").string();
  generated(csv, 400000);
  pid_t pid = spawn_import(f, csv);
  ASSERT_GT(pid, 0) << "the import never reached COPY";
  // The server ends the session under the import, as a server stop or a failover does.
  f.db.value(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE "
      "'COPY%'");
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  auto err = read_file((f.dir.path() / "import.err").string());
  EXPECT_EQ(test::lines(err), 1u) << err;
  EXPECT_EQ(err.find("server closed"), std::string::npos) << "no raw libpq text: " << err;
  EXPECT_EQ(err.find("terminating connection"), std::string::npos) << "no raw server text: " << err;
  wait_for_no_copy(f);
  EXPECT_EQ(f.recipients(), 0);
  EXPECT_EQ(f.db.count("campaign_imports"), 0);
}

TEST(CampaignImport, RejectFileThatIsTheInputIsRefusedAndTheInputKept) {
  test::CampaignFixture f;
  auto csv = f.file("same.csv", "phone,first_name\n+971500000001,A\nbad,B\n");
  auto before = read_file(csv);
  for (auto other : {csv, (f.dir.path() / "." / "same.csv").string()}) {
    auto r = f.run({"campaign", "import", "acme/main/spring", csv, "--reject-file", other});
    EXPECT_EQ(r.exit_code, 6) << r.err;
    EXPECT_EQ(test::lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("--reject-file"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(csv), before);
  }
  std::filesystem::create_hard_link(csv, f.dir.path() / "link.csv");
  auto linked =
      f.run({"campaign", "import", "acme/main/spring", csv, "--reject-file", (f.dir.path() / "link.csv").string()});
  EXPECT_EQ(linked.exit_code, 6) << linked.err;
  EXPECT_EQ(read_file(csv), before);
  EXPECT_EQ(f.recipients(), 0);
}

TEST(CampaignImport, AServerStoppedDuringCopyIsExit7WithOneLineAndNoRows) {
  test::TempDir data;
  std::map<std::string, std::string> env = {{"WFA_DATA_DIR", data.path().string()},
                                            {"WFA_MIGRATIONS_DIR", (test::source_dir() / "migrations").string()}};
  ASSERT_EQ(test::run_wfa({"partner", "create", "acme", "--name", "Acme"}, env).exit_code, 0);
  ASSERT_EQ(test::run_wfa({"workspace", "create", "main", "--partner", "acme", "--name", "Main"}, env).exit_code, 0);
  ASSERT_EQ(test::run_wfa({"campaign", "create", "spring", "--workspace", "acme/main"}, env).exit_code, 0);
  auto csv = (data.path() / "stop.csv").string();
  generated(csv, 400000);
  auto err = (data.path() / "import.err").string();
  std::vector<std::string> args = {WFA_BINARY, "campaign", "import", "acme/main/spring", csv};
  std::vector<std::string> env_text = {"WFA_DATA_DIR=" + data.path().string(),
                                       "WFA_MIGRATIONS_DIR=" + (test::source_dir() / "migrations").string(),
                                       "PATH=/usr/bin:/bin"};
  pid_t pid = spawn_background(args, env_text, err);
  ASSERT_GT(pid, 0);
  EmbeddedCluster cluster(ClusterSettings{data.path() / "pg", "", "wfa-postgres", true});
  bool copying = false;
  {
    pqxx::connection observer(cluster.conninfo("wfa"));
    for (int i = 0; i < 1000 && !copying; ++i) {
      pqxx::nontransaction q(observer);
      copying = q.exec("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY%'")[0][0].as<int>() == 1;
      if (!copying) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ASSERT_TRUE(copying) << "the import never reached COPY";
  auto stopped = test::run_wfa({"db", "stop"}, env);  // a real server stop, as an operator or a failover does it
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  auto text = read_file(err);
  EXPECT_EQ(test::lines(text), 1u) << text;
  EXPECT_EQ(text.find("terminating connection"), std::string::npos) << "no raw server text: " << text;
  ASSERT_EQ(test::run_wfa({"db", "start"}, env).exit_code, 0);
  pqxx::connection after(cluster.conninfo("wfa"));
  pqxx::nontransaction q(after);
  EXPECT_EQ(q.exec("SELECT count(*) FROM campaign_recipients")[0][0].as<int>(), 0);
  EXPECT_EQ(q.exec("SELECT count(*) FROM campaign_imports")[0][0].as<int>(), 0);
}
