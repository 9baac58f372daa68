// `wfa number` against the fake VAPI, Retell and Synthflow and the real database: each provider's requests field by
// field, sealed credentials, one workspace per number, max_phone_numbers, bad input and rights.
#include <pqxx/transaction>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "commands/number/number_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/database.hpp"
#include "core/session.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

const std::string vapi_key = "sk_live_numbers_000000000a1b2";
const std::string retell_key = "key_numbers_1111111111112b3c";
const std::string synthflow_key = "sf-numbers-22222222222221c0b";
const std::string twilio_token = "twilio-token-S3CRET-4711";
const std::string sip_password = "sip-pass-S3CRET-0815";

class NumberCommand : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  test::FakeProviders fake{{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", synthflow_key}}};
  std::string outputs;  ///< everything every run printed, searched for credentials

  NumberCommand() {
    add_partner("acme", "Acme", R"({"max_phone_numbers": 10})");
    add_workspace("acme", "main", "Main");
    add_workspace("acme", "other", "Other");
    env["WFA_VAPI_BASE_URL"] = fake.base_url("vapi");
    env["WFA_RETELL_BASE_URL"] = fake.base_url("retell");
    env["WFA_SYNTHFLOW_BASE_URL"] = fake.base_url("synthflow");
    for (const auto& ws : {"acme/main", "acme/other"})
      for (const auto& [provider, key] :
           std::map<std::string, std::string>{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", synthflow_key}})
        EXPECT_EQ(wfa({"integration", "set", ws, provider}, key).exit_code, 0);
  }

  ProcessResult wfa(std::vector<std::string> args, const std::string& input = "") {
    auto r = run(args, input);
    outputs += r.out + r.err;
    return r;
  }

  /// number runs `wfa number ARGS --workspace WS`.
  ProcessResult number(std::vector<std::string> args, const std::string& input = "",
                       const std::string& ws = "acme/main") {
    args.insert(args.begin(), "number");
    args.push_back("--workspace");
    args.push_back(ws);
    return wfa(args, input);
  }

  /// ok runs number(ARGS) and expects success; the result's JSON object.
  json ok(std::vector<std::string> args, const std::string& input = "") {
    args.push_back("-o");
    args.push_back("json");
    auto r = number(args, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? json::parse(r.out) : json();
  }

  /// sent is every request the fake took from PROVIDER as METHOD PATH, oldest first.
  std::vector<json> sent(const std::string& provider, const std::string& method, const std::string& path) {
    std::vector<json> out;
    for (const auto& r : fake.requests())
      if (r["provider"] == provider && r["method"] == method && r["path"] == path) out.push_back(r);
    return out;
  }

  /// body is the JSON body of the last request to PROVIDER as METHOD PATH.
  json body(const std::string& provider, const std::string& method, const std::string& path) {
    auto all = sent(provider, method, path);
    EXPECT_FALSE(all.empty()) << provider << " got no " << method << " " << path;
    return all.empty() ? json() : json::parse(all.back()["body"].get<std::string>());
  }

  /// sync_agent creates agent NAME at PROVIDER and pushes it; its provider id.
  std::string sync_agent(const std::string& name, const std::string& provider) {
    std::string voice = provider == "vapi" ? R"("provider": "11labs", )" : "";
    std::string model = provider == "vapi" ? R"("provider": "openai", )" : "";
    auto spec = file(name + ".json", R"({"name": ")" + name + R"(", "provider": ")" + provider + R"(", "voice": {)" +
                                         voice + R"("voice_id": "v-)" + name + R"("}, "model": {)" + model +
                                         R"("model": "gpt-4.1"}, "system_prompt": "Hi",)"
                                         R"( "first_message": "Hello"})");
    EXPECT_EQ(wfa({"agent", "create", "--workspace", "acme/main", "--spec", spec}).exit_code, 0);
    auto synced = wfa({"agent", "sync", "--workspace", "acme/main"});
    EXPECT_EQ(synced.exit_code, 0) << synced.err;
    return value("SELECT external_agent_id FROM ai_agents WHERE name = '" + name + "'");
  }

  /// one_line expects R to have failed with EXIT and a single stderr line containing TEXT.
  void one_line(const ProcessResult& r, int exit, const std::string& text) {
    EXPECT_EQ(r.exit_code, exit) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
  }

  /// no_secret_anywhere: no credential in any output, the audit log or a stored row in the clear.
  void no_secret_anywhere() {
    auto audit = value(
        "SELECT coalesce(string_agg(coalesce(old_values::text, '') || coalesce(new_values::text, '') ||"
        " coalesce(metadata::text, ''), ' '), '') FROM audit_log");
    auto stored = value(
        "SELECT coalesce(string_agg(encode(credentials, 'escape') || credentials_hint, ' '), '') FROM phone_numbers"
        " WHERE credentials IS NOT NULL");
    for (const auto& secret : {twilio_token, sip_password, std::string("vonage-secret-77")}) {
      EXPECT_EQ(outputs.find(secret), std::string::npos) << "an output shows " << secret;
      EXPECT_EQ(audit.find(secret), std::string::npos) << "the audit log holds " << secret;
      EXPECT_EQ(stored.find(secret), std::string::npos) << "a row holds " << secret << " in the clear";
    }
  }
};

TEST_F(NumberCommand, VapiIssuesImportsAdoptsRoutesAndReleases) {
  auto created = ok({"create", "vapi", "--area-code", "415"});
  EXPECT_EQ(body("vapi", "POST", "/phone-number"), (json{{"provider", "vapi"}, {"numberDesiredAreaCode", "415"}}));
  auto issued = fake.objects()["vapi_numbers"];
  ASSERT_EQ(issued.size(), 1u);
  EXPECT_EQ(created["number"], issued.begin().value()["number"]);
  EXPECT_EQ(created["provider_number_id"], issued.begin().key());
  EXPECT_EQ(created["source"], "provider");
  EXPECT_EQ(created["status"], "active");

  auto twilio = ok({"import", "vapi", "+14155550123", "--source", "twilio"},
                   R"({"account_sid": "AC0123456789abcdef", "auth_token": ")" + twilio_token + R"("})");
  EXPECT_EQ(body("vapi", "POST", "/phone-number"), (json{{"provider", "twilio"},
                                                         {"number", "+14155550123"},
                                                         {"twilioAccountSid", "AC0123456789abcdef"},
                                                         {"twilioAuthToken", twilio_token}}));
  EXPECT_EQ(twilio["source"], "twilio");
  EXPECT_EQ(twilio["credentials"], "twilio AC0…cdef");

  ok({"import", "vapi", "+14155550124", "--source", "vonage"},
     R"({"api_key": "vonage-key-1", "api_secret": "vonage-secret-77"})");
  EXPECT_EQ(body("vapi", "POST", "/credential"),
            (json{{"provider", "vonage"}, {"apiKey", "vonage-key-1"}, {"apiSecret", "vonage-secret-77"}}));
  auto vonage_credential = value("SELECT provider_credential_id FROM phone_numbers WHERE number = '+14155550124'");
  EXPECT_EQ(body("vapi", "POST", "/phone-number"),
            (json{{"provider", "vonage"}, {"number", "+14155550124"}, {"credentialId", vonage_credential}}));
  EXPECT_EQ(fake.objects()["vapi_credentials"][vonage_credential]["provider"], "vonage");

  ok({"import", "vapi", "+14155550125", "--source", "telnyx", "--credentials-file",
      file("telnyx.json", R"({"api_key": "KEYtelnyx01"})")});
  EXPECT_EQ(body("vapi", "POST", "/credential"), (json{{"provider", "telnyx"}, {"apiKey", "KEYtelnyx01"}}));
  EXPECT_EQ(body("vapi", "POST", "/phone-number")["provider"], "telnyx");

  ok({"import", "vapi", "+14155550126", "--source", "sip", "--termination-uri", "sip:Trunk.Example.net:5061"},
     R"({"username": "trunk-user", "password": ")" + sip_password + R"("})");
  EXPECT_EQ(body("vapi", "POST", "/credential"),
            (json{{"provider", "byo-sip-trunk"},
                  {"gateways", json::array({{{"ip", "trunk.example.net"}, {"port", 5061}}})},
                  {"outboundAuthenticationPlan", {{"authUsername", "trunk-user"}, {"authPassword", sip_password}}}}));
  auto sip_credential = value("SELECT provider_credential_id FROM phone_numbers WHERE number = '+14155550126'");
  EXPECT_EQ(body("vapi", "POST", "/phone-number"), (json{{"provider", "byo-phone-number"},
                                                         {"number", "+14155550126"},
                                                         {"credentialId", sip_credential},
                                                         {"numberE164CheckEnabled", true}}));
  EXPECT_EQ(value("SELECT termination_uri FROM phone_numbers WHERE number = '+14155550126'"),
            "sip:trunk.example.net:5061");

  fake.add_numbers(
      {{"vapi", json::array({{{"id", "pn-existing-1"}, {"number", "+14155550199"}, {"provider", "twilio"}}})}});
  auto adopted = ok({"adopt", "vapi", "pn-existing-1"});
  EXPECT_EQ(sent("vapi", "GET", "/phone-number/pn-existing-1").size(), 1u);
  EXPECT_EQ(adopted["number"], "+14155550199");
  EXPECT_EQ(adopted["source"], "adopted");
  one_line(number({"adopt", "vapi", "pn-unknown"}), 3, "vapi has no phone number pn-unknown");

  auto assistant = sync_agent("Vera", "vapi");
  auto pn = value("SELECT provider_number_id FROM phone_numbers WHERE number = '+14155550123'");
  auto assigned = ok({"assign", "+14155550123", "Vera"});
  EXPECT_EQ(body("vapi", "PATCH", "/phone-number/" + pn), (json{{"assistantId", assistant}}));
  EXPECT_EQ(assigned["agent"], "Vera");
  EXPECT_EQ(fake.objects()["vapi_numbers"][pn]["assistantId"], assistant);
  ok({"unassign", "+14155550123"});
  EXPECT_EQ(body("vapi", "PATCH", "/phone-number/" + pn), (json{{"assistantId", nullptr}}));

  auto released = ok({"release", pn, "--yes"});
  EXPECT_EQ(sent("vapi", "DELETE", "/phone-number/" + pn).size(), 1u);
  EXPECT_EQ(released["status"], "released");
  EXPECT_FALSE(fake.objects()["vapi_numbers"].contains(pn));
  EXPECT_EQ(count("phone_number_routes"), 5);
  EXPECT_EQ(value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity_type = 'phone_number'"),
            "number.create,number.import,number.import,number.import,number.import,number.adopt,number.assign,"
            "number.unassign,number.release");
  auto list = run_json({"number", "list", "--workspace", "acme/main"});
  EXPECT_EQ(list["phone_numbers"].size(), 5u);
  EXPECT_EQ(run_json({"number", "list", "--workspace", "acme/main", "--status", "released"})["phone_numbers"].size(),
            1u);
  no_secret_anywhere();
}

TEST_F(NumberCommand, CredentialsAreSealedAndResealedOnRotation) {
  ok({"import", "vapi", "+14155550123", "--source", "twilio"},
     R"({"account_sid": "AC0123456789abcdef", "auth_token": ")" + twilio_token + R"("})");
  EXPECT_EQ(value("SELECT position(convert_to('S3CRET', 'UTF8') in credentials) FROM phone_numbers"), "0");
  EXPECT_EQ(value("SELECT octet_length(credentials) > 37 FROM phone_numbers"), "t");
  auto before = value("SELECT md5(credentials) FROM phone_numbers");
  auto rotated = wfa({"secret", "rotate", "--yes"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(value("SELECT md5(credentials) FROM phone_numbers"), before) << "re-sealed with the new key";
  no_secret_anywhere();
}

TEST_F(NumberCommand, RetellIssuesImportsAdoptsRoutesAndReleases) {
  auto created = ok({"create", "retell", "--area-code", "628"});
  EXPECT_EQ(body("retell", "POST", "/create-phone-number"), (json{{"area_code", 628}}));
  EXPECT_EQ(created["provider_number_id"], created["number"]);

  one_line(number({"import", "retell", "+14155550130", "--source", "sip"}, "{}"), 2, "--termination-uri");
  ok({"import", "retell", "+14155550130", "--source", "sip", "--termination-uri", "example.pstn.twilio.com"},
     R"({"username": "trunk-user", "password": ")" + sip_password + R"("})");
  EXPECT_EQ(body("retell", "POST", "/import-phone-number"), (json{{"phone_number", "+14155550130"},
                                                                  {"termination_uri", "example.pstn.twilio.com"},
                                                                  {"sip_trunk_auth_username", "trunk-user"},
                                                                  {"sip_trunk_auth_password", sip_password}}));
  ok({"import", "retell", "+14155550131", "--source", "telnyx", "--termination-uri", "sip.telnyx.com"}, "{}");
  EXPECT_EQ(body("retell", "POST", "/import-phone-number"),
            (json{{"phone_number", "+14155550131"}, {"termination_uri", "sip.telnyx.com"}}));
  EXPECT_EQ(value("SELECT credentials IS NULL FROM phone_numbers WHERE number = '+14155550131'"), "t");

  fake.add_numbers(
      {{"retell", json::array({{{"phone_number", "+14155550177"}, {"phone_number_type", "retell-twilio"}}})}});
  EXPECT_EQ(ok({"adopt", "retell", "+14155550177"})["source"], "adopted");
  EXPECT_EQ(sent("retell", "GET", "/get-phone-number/%2B14155550177").size(), 1u);

  auto agent = sync_agent("Rhea", "retell");
  ok({"assign", "+14155550130", "Rhea"});
  EXPECT_EQ(body("retell", "PATCH", "/update-phone-number/%2B14155550130"), (json{{"inbound_agent_id", agent}}));
  EXPECT_EQ(fake.objects()["retell_numbers"]["+14155550130"]["inbound_agent_id"], agent);
  ok({"unassign", "+14155550130"});
  EXPECT_EQ(body("retell", "PATCH", "/update-phone-number/%2B14155550130"), (json{{"inbound_agent_id", nullptr}}));
  ok({"release", "+14155550130", "--yes"});
  EXPECT_EQ(sent("retell", "DELETE", "/delete-phone-number/%2B14155550130").size(), 1u);
  EXPECT_FALSE(fake.objects()["retell_numbers"].contains("+14155550130"));
  no_secret_anywhere();
}

TEST_F(NumberCommand, SynthflowNumbersAreBoughtInItsDashboardAndAdopted) {
  auto before = fake.requests().size();
  one_line(number({"create", "synthflow", "--area-code", "415"}), 2, "dashboard");
  one_line(number({"import", "synthflow", "+14155550141", "--source", "telnyx", "--termination-uri", "sip.telnyx.com"},
                  "{}"),
           2, "--provider-workspace");
  one_line(number({"import", "vapi", "+14155550141", "--source", "telnyx", "--provider-workspace", "sf-ws-1"},
                  R"({"api_key": "k"})"),
           2, "only for synthflow");
  EXPECT_EQ(fake.requests().size(), before) << "nothing asked";

  // Synthflow's API imports a SIP number into one of its workspaces (POST /v2/custom-numbers).
  auto imported = ok({"import", "synthflow", "+14155550141", "--source", "telnyx", "--termination-uri",
                      "sip.telnyx.com", "--provider-workspace", "sf-ws-1"},
                     R"({"username": "trunk-user", "password": ")" + sip_password + R"("})");
  EXPECT_EQ(body("synthflow", "POST", "/custom-numbers"), (json{{"workspace_id", "sf-ws-1"},
                                                                {"phone_number", "+14155550141"},
                                                                {"termination_uri", "sip.telnyx.com"},
                                                                {"trunk_username", "trunk-user"},
                                                                {"trunk_pwd", sip_password}}));
  EXPECT_EQ(imported["provider_number_id"], "14155550141") << "its slug";
  EXPECT_EQ(imported["source"], "telnyx");
  ok({"release", "+14155550141", "--yes"});
  EXPECT_EQ(sent("synthflow", "DELETE", "/numbers/14155550141").size(), 1u);
  no_secret_anywhere();

  fake.add_numbers({{"synthflow", json::array({{{"slug", "14155550140"}, {"phone_number", "+14155550140"}}})}});
  auto adopted = ok({"adopt", "synthflow", "14155550140"});
  EXPECT_EQ(sent("synthflow", "GET", "/numbers/14155550140").size(), 1u);
  EXPECT_EQ(adopted["number"], "+14155550140");
  EXPECT_EQ(adopted["provider_number_id"], "14155550140");

  auto model = sync_agent("Sol", "synthflow");
  ok({"assign", "+14155550140", "Sol"});
  EXPECT_EQ(body("synthflow", "PUT", "/assistants/" + model + "/phone_numbers"),
            (json{{"phone_number_slugs", json::array({"14155550140"})}}));
  ok({"unassign", "14155550140"});
  EXPECT_EQ(sent("synthflow", "DELETE", "/assistants/" + model + "/phone_numbers/14155550140").size(), 1u);
  ok({"release", "+14155550140", "--yes"});
  EXPECT_EQ(sent("synthflow", "DELETE", "/numbers/14155550140").size(), 1u);
}

TEST_F(NumberCommand, AVapiCredentialNeverOutlivesItsNumber) {
  // The import fails after VAPI made the credential: the credential is deleted again.
  fake.inject({{{"provider", "vapi"},
                {"method", "POST"},
                {"path", "^/phone-number$"},
                {"status", 400},
                {"times", 1},
                {"body", {{"message", "number is not on this Vonage account"}}}}});
  one_line(number({"import", "vapi", "+14155550150", "--source", "vonage"},
                  R"({"api_key": "vonage-key-1", "api_secret": "vonage-secret-77"})"),
           6, "number is not on this Vonage account");
  EXPECT_EQ(sent("vapi", "POST", "/credential").size(), 1u);
  int deletes = 0;
  for (const auto& r : fake.requests())
    deletes += r["provider"] == "vapi" && r["method"] == "DELETE" &&
               r["path"].get<std::string>().rfind("/credential/", 0) == 0;
  EXPECT_EQ(deletes, 1);
  EXPECT_TRUE(fake.objects()["vapi_credentials"].empty()) << fake.objects()["vapi_credentials"].dump();
  EXPECT_EQ(count("phone_numbers"), 0);

  // A released number takes its credential with it.
  ok({"import", "vapi", "+14155550151", "--source", "telnyx"}, R"({"api_key": "KEYtelnyx01"})");
  auto credential = value("SELECT provider_credential_id FROM phone_numbers WHERE number = '+14155550151'");
  ASSERT_TRUE(fake.objects()["vapi_credentials"].contains(credential));
  ok({"release", "+14155550151", "--yes"});
  EXPECT_EQ(sent("vapi", "DELETE", "/credential/" + credential).size(), 1u);
  EXPECT_TRUE(fake.objects()["vapi_credentials"].empty());

  // A credential VAPI will not delete does not undo the release: one line says it stays.
  ok({"import", "vapi", "+14155550152", "--source", "telnyx"}, R"({"api_key": "KEYtelnyx01"})");
  fake.inject({{{"provider", "vapi"},
                {"method", "DELETE"},
                {"path", "^/credential/"},
                {"status", 400},
                {"times", 1},
                {"body", {{"message", "credential is in use"}}}}});
  auto released = number({"release", "+14155550152", "--yes"});
  EXPECT_EQ(released.exit_code, 0) << released.err;
  EXPECT_NE(released.err.find("credential is in use"), std::string::npos) << released.err;
  EXPECT_EQ(value("SELECT status FROM phone_numbers WHERE number = '+14155550152'"), "released");
  no_secret_anywhere();
}

TEST_F(NumberCommand, ANumberServesOneWorkspace) {
  ok({"import", "retell", "+14155550150", "--source", "sip", "--termination-uri", "sip.example.net"}, "{}");
  auto before = fake.requests().size();
  auto again = number({"import", "retell", "+14155550150", "--source", "sip", "--termination-uri", "sip.example.net"},
                      "{}", "acme/other");
  one_line(again, 4, "belongs to another workspace");
  EXPECT_EQ(fake.requests().size(), before) << "refused before the provider is asked";
  one_line(
      number({"import", "retell", "+14155550150", "--source", "sip", "--termination-uri", "sip.example.net"}, "{}"), 4,
      "already one of this workspace's numbers");
  fake.add_numbers({{"retell", json::array({{{"phone_number", "+14155550151"}}})}});
  ok({"adopt", "retell", "+14155550151"});
  one_line(number({"adopt", "retell", "+14155550151"}, "", "acme/other"), 4, "belongs to another workspace");

  ok({"release", "+14155550150", "--yes"});
  auto freed = number({"import", "retell", "+14155550150", "--source", "sip", "--termination-uri", "sip.example.net"},
                      "{}", "acme/other");
  EXPECT_EQ(freed.exit_code, 0) << freed.err;

  // caller ids: only an active number of the workspace, on the provider asked for.
  auto& s = session();
  pqxx::work tx(s.database().ready());
  auto main = find_workspace(tx, "acme/main");
  auto other = find_workspace(tx, "acme/other");
  EXPECT_FALSE(caller_number(tx, main, "retell", "+14155550150")) << "released here";
  ASSERT_TRUE(caller_number(tx, other, "retell", "+1 415 555 0150"));
  EXPECT_FALSE(caller_number(tx, other, "vapi", "+14155550150")) << "another provider";
  auto adopted = caller_number(tx, main, "retell", "+14155550151");
  ASSERT_TRUE(adopted);
  EXPECT_EQ(adopted->source, "adopted");
  EXPECT_TRUE(caller_number(tx, main, "retell", adopted->id)) << "by wfa's id too";
}

TEST_F(NumberCommand, TheAgentsNumberIsItsDefaultCallerId) {
  auto agent = sync_agent("Rhea", "retell");
  ok({"import", "retell", "+14155550160", "--source", "sip", "--termination-uri", "sip.example.net"}, "{}");
  ok({"assign", "+14155550160", "Rhea"});
  auto& s = session();
  pqxx::work tx(s.database().ready());
  auto main = find_workspace(tx, "acme/main");
  auto id = value("SELECT id FROM ai_agents WHERE name = 'Rhea'");
  auto found = default_caller_number(tx, main, id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->number, "+14155550160");
  EXPECT_EQ(found->agent_id, id);
  EXPECT_FALSE(default_caller_number(tx, find_workspace(tx, "acme/other"), id));
  EXPECT_FALSE(agent.empty());
}

TEST_F(NumberCommand, DryRunsAskTheProviderNothingAndChangeNothing) {
  ok({"import", "vapi", "+14155550190", "--source", "telnyx"}, R"({"api_key": "KEYtelnyx01"})");
  auto before = fake.requests().size();
  auto audits = count("audit_log");
  EXPECT_EQ(number({"create", "vapi", "--area-code", "415", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(number({"import", "vapi", "+14155550191", "--source", "twilio", "--dry-run"},
                   R"({"account_sid": "AC1", "auth_token": ")" + twilio_token + R"("})")
                .exit_code,
            0);
  EXPECT_EQ(number({"release", "+14155550190", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(number({"unassign", "+14155550190", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(fake.requests().size(), before);
  EXPECT_EQ(count("phone_numbers"), 1);
  EXPECT_EQ(count("audit_log"), audits);
  EXPECT_EQ(value("SELECT status FROM phone_numbers"), "active");
  no_secret_anywhere();
}

TEST_F(NumberCommand, MaxPhoneNumbersIsEnforced) {
  auto limited = wfa({"workspace", "update", "acme/main", "--limit", "max_phone_numbers=1"});
  ASSERT_EQ(limited.exit_code, 0) << limited.err;
  ok({"create", "vapi", "--area-code", "415"});
  auto before = fake.requests().size();
  one_line(number({"create", "retell", "--area-code", "415"}), 4, "max_phone_numbers limit (1 of 1 numbers)");
  one_line(number({"import", "vapi", "+14155550170", "--source", "telnyx"}, R"({"api_key": "k"})"), 4,
           "max_phone_numbers");
  EXPECT_EQ(fake.requests().size(), before);
  EXPECT_EQ(count("phone_numbers"), 1);
}

TEST_F(NumberCommand, PartnersFromBeforeTheLimitGetTheirPlansDefault) {
  // A partner made before migration 0041 copied its plan's limits without max_phone_numbers.
  add_partner("old", "Old", R"({"max_workspaces": 5})");
  add_workspace("old", "main", "Old main");
  ASSERT_EQ(wfa({"integration", "set", "old/main", "vapi"}, vapi_key).exit_code, 0);
  std::ifstream sql(std::string(WFA_SOURCE_DIR) + "/migrations/0050_partner_phone_number_limit.sql");
  exec(std::string(std::istreambuf_iterator<char>(sql), {}));
  EXPECT_EQ(value("SELECT resource_limits -> 'max_phone_numbers' FROM partners WHERE slug = 'old'"),
            value("SELECT resource_limits -> 'max_phone_numbers' FROM subscription_plans WHERE tier = 'starter'"));
  EXPECT_EQ(value("SELECT resource_limits -> 'max_phone_numbers' FROM partners WHERE slug = 'acme'"), "10")
      << "a limit of its own is kept";
  auto limit = std::stoi(value("SELECT resource_limits ->> 'max_phone_numbers' FROM partners WHERE slug = 'old'"));
  for (int i = 0; i < limit; ++i)
    EXPECT_EQ(number({"create", "vapi", "--area-code", "415"}, "", "old/main").exit_code, 0);
  one_line(number({"create", "vapi", "--area-code", "415"}, "", "old/main"), 4,
           "max_phone_numbers limit (" + std::to_string(limit) + " of " + std::to_string(limit) + " numbers)");
}

TEST_F(NumberCommand, BadInputIsOneLineWithItsExitCode) {
  one_line(number({"create", "vapi", "--area-code", "41"}), 6, "--area-code '41' is not an area code");
  one_line(number({"create", "vapi", "--area-code", "abc"}), 6, "is not an area code");
  one_line(number({"import", "vapi", "12", "--source", "twilio"}, "{}"), 6, "phone number '12'");
  one_line(number({"import", "vapi", "+14155550180", "--source", "fax"}, "{}"), 2, "fax");
  one_line(number({"import", "vapi", "+14155550180", "--source", "twilio"}, R"({"account_sid": "AC1"})"), 6,
           "lacks field 'auth_token'");
  one_line(number({"import", "vapi", "+14155550180", "--source", "twilio"},
                  R"({"account_sid": "AC1", "auth_token": ")" + twilio_token + R"(", "pin": "1"})"),
           6, "field 'pin' does not belong");
  one_line(number({"import", "vapi", "+14155550180", "--source", "twilio"}, "not json"), 6, "the credentials");
  one_line(number({"import", "vapi", "+14155550180", "--source", "sip", "--termination-uri", "sip:bad host"}, "{}"), 6,
           "is not a SIP termination URI");
  one_line(
      number({"import", "vapi", "+14155550180", "--source", "twilio", "--termination-uri", "sip.example.net"}, "{}"), 2,
      "only for SIP trunks");
  one_line(number({"import", "retell", "+14155550180", "--source", "sip", "--termination-uri", "sip.example.net"},
                  R"({"username": "u"})"),
           6, "only one of username and password");
  one_line(number({"assign", "+14155550999", "Nobody"}), 3, "no active phone number +14155550999");
  one_line(number({"release", "+14155550999", "--yes"}), 3, "no active phone number");
  one_line(number({"create", "vapi", "--area-code", "415"}, "", "acme/nowhere"), 3, "acme/nowhere");
  one_line(number({"create", "fax", "--area-code", "415"}), 2, "fax");
  EXPECT_EQ(count("phone_numbers"), 0);
  no_secret_anywhere();
}

TEST_F(NumberCommand, AProviderRefusalIsExit6AndATransientFailureIsRetried) {
  fake.inject({{{"provider", "vapi"}, {"method", "POST"}, {"path", "^/phone-number$"}, {"status", 503}, {"times", 1}}});
  ok({"create", "vapi", "--area-code", "415"});
  EXPECT_EQ(sent("vapi", "POST", "/phone-number").size(), 2u) << "the 503 was retried";
  fake.inject({{{"provider", "retell"},
                {"method", "POST"},
                {"path", "^/create-phone-number$"},
                {"status", 400},
                {"body", {{"error_message", "no numbers left in area code 415"}}}}});
  one_line(number({"create", "retell", "--area-code", "415"}), 6, "no numbers left in area code 415");
  auto agentless = number({"assign", value("SELECT number FROM phone_numbers"), "Ghost"});
  EXPECT_EQ(agentless.exit_code, 3) << agentless.err;
  EXPECT_EQ(count("phone_numbers"), 1);
}

TEST_F(NumberCommand, RightsFollowTheWorkspaceRoles) {
  for (const auto& [email, role] : std::map<std::string, std::string>{
           {"viewer@acme.test", "viewer"}, {"member@acme.test", "member"}, {"admin@acme.test", "admin"}}) {
    add_user(email);
    add_workspace_member("acme/main", email, role);
  }
  ok({"create", "vapi", "--area-code", "415"});
  auto as = [&](const std::string& email, std::vector<std::string> args) {
    args.insert(args.begin(), {"--as", email, "number"});
    args.insert(args.end(), {"--workspace", "acme/main"});
    return wfa(args);
  };
  EXPECT_EQ(as("viewer@acme.test", {"list"}).exit_code, 0);
  EXPECT_EQ(as("member@acme.test", {"list"}).exit_code, 0);
  for (const auto* email : {"viewer@acme.test", "member@acme.test"}) {
    one_line(as(email, {"create", "vapi", "--area-code", "415"}), 5, "workspace:numbers:create");
    one_line(as(email, {"release", value("SELECT number FROM phone_numbers"), "--yes"}), 5, "workspace:numbers:delete");
  }
  auto admin = as("admin@acme.test", {"create", "retell", "--area-code", "415"});
  EXPECT_EQ(admin.exit_code, 0) << admin.err;
  EXPECT_NE(value("SELECT actor FROM audit_log WHERE action = 'number.create' ORDER BY id DESC LIMIT 1")
                .find("admin@acme.test"),
            std::string::npos);
  add_user("stranger@else.test");
  one_line(as("stranger@else.test", {"list"}), 5, "acme/main");
}

}  // namespace
}  // namespace wfa
