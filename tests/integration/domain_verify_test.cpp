// `wfa domain verify`: TXT records from an overrides file (the binary) or an injected resolver (in process).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "commands/domain/dns.hpp"
#include "commands/domain/domain.hpp"
#include "tests/support/integration_fixture.hpp"

using namespace wfa;
using nlohmann::json;

namespace {

/// VerifyFixture: partner acme with the unverified domain app.example.com and an overrides file path.
struct VerifyFixture : test::IntegrationFixture {
  std::string overrides = (dir.path() / "dns.json").string();
  std::string token;
  VerifyFixture() {
    env["WFA_DNS_OVERRIDES"] = overrides;
    env["WFA_TEST_MODE"] = "1";
    add_partner("acme", "Acme");
    auto r = run({"domain", "add", "app.example.com", "--partner", "acme", "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    token = json::parse(r.out)["txt_record_value"];
    write_records(json::object());
  }
  void write_records(const json& records) { std::ofstream(overrides) << records.dump(); }
  ProcessResult verify(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"domain", "verify", "app.example.com"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  bool verified() {
    return !sql("SELECT verified_at FROM partner_domains WHERE hostname = 'app.example.com'")[0][0].is_null();
  }
};

/// ScriptedResolver answers from a map and records what it was asked; FAIL makes it throw like a SERVFAIL.
struct ScriptedResolver : TxtResolver {
  std::map<std::string, std::vector<std::string>> records;
  std::vector<std::string> asked;
  bool fail = false;
  std::vector<std::string> lookup_txt(const std::string& name) override {
    asked.push_back(name);
    if (fail) throw TemporaryError("DNS lookup of TXT " + name + " failed: SERVFAIL");
    return records[name];
  }
};

}  // namespace

TEST(DomainVerify, MissingOrWrongRecordIsExitSixWithAHint) {
  VerifyFixture f;
  auto missing = f.verify();
  EXPECT_EQ(missing.exit_code, 6) << missing.err;
  EXPECT_NE(missing.err.find("_wfa-verify.app.example.com"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find(f.token), std::string::npos) << "the hint names the value to publish: " << missing.err;

  f.write_records({{"_wfa-verify.app.example.com", json::array({"wrong-token", f.token + "x"})},
                   {"app.example.com", json::array({f.token})}});
  auto wrong = f.verify();
  EXPECT_EQ(wrong.exit_code, 6) << wrong.err;
  EXPECT_NE(wrong.err.find("none matching"), std::string::npos) << wrong.err;
  EXPECT_FALSE(f.verified());
  EXPECT_EQ(f.db.count("audit_log"), 1) << "only the add is audited";
}

TEST(DomainVerify, MatchingRecordVerifiesOnceAndAudits) {
  VerifyFixture f;
  f.write_records({{"_WFA-VERIFY.App.Example.com.", json::array({"v=spf1 -all", f.token})}});
  auto before = f.db.count("audit_log");
  auto dry = f.verify({"--dry-run"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("nothing changed"), std::string::npos) << dry.err;
  EXPECT_FALSE(f.verified());
  EXPECT_EQ(f.db.count("audit_log"), before);
  f.env["WFA_ACTOR"] = "ops@wfa.example";

  auto r = f.verify({"-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  EXPECT_EQ(doc["verified"], true);
  EXPECT_TRUE(doc["verified_at"].is_string());
  EXPECT_TRUE(doc["txt_record_value"].is_null()) << "nothing left to publish once verified";
  EXPECT_TRUE(f.verified());
  auto audit = f.sql(
      "SELECT actor, old_values->>'verified_at' IS NULL, new_values->>'verified_at' IS NOT NULL"
      " FROM audit_log WHERE action = 'domain.verify'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0].as<std::string>(), "ops@wfa.example");
  EXPECT_TRUE(audit[0][1].as<bool>());
  EXPECT_TRUE(audit[0][2].as<bool>());

  f.write_records(json::object());
  auto again = f.verify();
  EXPECT_EQ(again.exit_code, 0) << "already verified is a no-op, even without the record: " << again.err;
  EXPECT_NE(again.err.find("already verified"), std::string::npos) << again.err;
  EXPECT_EQ(f.db.count("audit_log"), before + 1);
}

TEST(DomainVerify, UnknownHostnameIsExitThreeAndBadOverridesFileExitSix) {
  VerifyFixture f;
  auto unknown = f.run({"domain", "verify", "nope.example.com"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.err;
  auto invalid = f.run({"domain", "verify", "https://app.example.com"});
  EXPECT_EQ(invalid.exit_code, 6) << invalid.err;
  std::ofstream(f.overrides) << "{\"_wfa-verify.app.example.com\": [\"unterminated";
  auto malformed = f.verify();
  EXPECT_EQ(malformed.exit_code, 6) << malformed.err;
  EXPECT_NE(malformed.err.find(f.overrides), std::string::npos) << "names the file: " << malformed.err;
  std::ofstream(f.overrides) << R"({"_wfa-verify.app.example.com": "not-an-array"})";
  EXPECT_EQ(f.verify().exit_code, 6);
  EXPECT_FALSE(f.verified());
}

TEST(DomainVerify, InjectedResolverIsAskedForTheVerificationRecord) {
  VerifyFixture f;
  auto& session = f.session();
  ScriptedResolver resolver;
  DomainVerifyOptions options{"app.example.com", false};
  EXPECT_THROW(run_domain_verify(options, session, resolver), InvalidInputError);
  ASSERT_EQ(resolver.asked, (std::vector<std::string>{"_wfa-verify.app.example.com"}));
  resolver.records["_wfa-verify.app.example.com"] = {" " + f.token + " "};
  auto result = run_domain_verify(options, session, resolver);
  EXPECT_TRUE(f.verified());
  EXPECT_NE(result.message.find("verified"), std::string::npos);
  EXPECT_EQ(f.sql("SELECT actor FROM audit_log WHERE action = 'domain.verify'")[0][0].as<std::string>(),
            "tester@wfa.example");
}

TEST(DomainVerify, ResolverFailureIsTemporaryAndChangesNothing) {
  VerifyFixture f;
  auto& session = f.session();
  ScriptedResolver resolver;
  resolver.fail = true;
  try {
    run_domain_verify({"app.example.com", false}, session, resolver);
    FAIL() << "a resolver failure must end the command";
  } catch (const Error& e) {
    EXPECT_EQ(exit_code(e.category()), 7) << e.what();
  }
  EXPECT_FALSE(f.verified());
  EXPECT_EQ(f.db.count("audit_log"), 1);
}

TEST(DomainVerify, OverridesAnswerOnlyInTestModeAndTheAuditSaysSo) {
  VerifyFixture f;
  f.write_records({{"_wfa-verify.app.example.com", {f.token}}});
  f.env.erase("WFA_TEST_MODE");
  auto refused = f.verify();
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_EQ(test::lines(refused.err), 1u) << refused.err;
  EXPECT_NE(refused.err.find("WFA_TEST_MODE"), std::string::npos) << refused.err;
  EXPECT_FALSE(f.verified());
  f.env["WFA_TEST_MODE"] = "1";
  ASSERT_EQ(f.verify().exit_code, 0);
  EXPECT_EQ(f.value("SELECT metadata->>'resolver' FROM audit_log WHERE action = 'domain.verify'"),
            "overrides file " + f.overrides);
}
