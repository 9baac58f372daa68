// `wfa integration` and `wfa secret rotate` against the real database and the fake provider server.
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "core/file_io.hpp"
#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

namespace fs = std::filesystem;

const std::string vapi_key = "sk_live_4f1c9a2e77b04d1b8e5aa1b2";
const std::string retell_key = "key_9b2d0c3e4f5a6b7c8d9e0f1a2b3c";
const std::string synthflow_key = "sf-3c2b1a0f9e8d7c6b5a4f3e2d1c0b";

class IntegrationCommand : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  test::FakeProviders fake{{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", synthflow_key}}};
  std::string all_output;  ///< everything every run printed, searched for keys at the end

  IntegrationCommand() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_workspace("acme", "other", "Other");
    for (const char* provider : {"vapi", "retell", "synthflow"}) {
      std::string name = provider;
      for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      env["WFA_" + name + "_BASE_URL"] = fake.base_url(provider);
    }
  }

  ProcessResult wfa(const std::vector<std::string>& args, const std::string& input = "") {
    auto r = run(args, input);
    all_output += r.out + r.err;
    return r;
  }

  /// no_key_anywhere checks that no API key appears in any output, in the audit log or in the stored rows.
  void no_key_anywhere() {
    auto audit = value(
        "SELECT string_agg(coalesce(old_values::text, '') || new_values::text || metadata::text, ' ')"
        " FROM audit_log");
    auto stored = value("SELECT string_agg(encode(api_key, 'escape') || key_hint, ' ') FROM workspace_integrations");
    for (const auto& key : {vapi_key, retell_key, synthflow_key}) {
      EXPECT_EQ(all_output.find(key), std::string::npos) << "an output shows " << key;
      EXPECT_EQ(audit.find(key), std::string::npos) << "the audit log holds " << key;
      EXPECT_EQ(stored.find(key), std::string::npos) << "a row holds " << key << " in the clear";
      EXPECT_EQ(all_output.find(key.substr(4, 12)), std::string::npos) << "an output shows part of " << key;
    }
  }
};

TEST_F(IntegrationCommand, KeysAreSealedShownMaskedAndCheckedAtEachProvider) {
  for (const auto& [provider, key] :
       std::map<std::string, std::string>{{"vapi", vapi_key}, {"retell", retell_key}, {"synthflow", synthflow_key}}) {
    auto set = wfa({"integration", "set", "acme/main", provider}, key + "\n");
    ASSERT_EQ(set.exit_code, 0) << set.err;
    auto tested = wfa({"integration", "test", "acme/main", provider});
    EXPECT_EQ(tested.exit_code, 0) << provider << ": " << tested.err;
    EXPECT_NE(tested.err.find("works: ok (HTTP 200)"), std::string::npos) << tested.err;
  }
  auto shown = run_json({"integration", "show", "acme/main", "vapi"});
  EXPECT_EQ(shown["api_key"], "sk_…a1b2");
  EXPECT_EQ(shown["last_test_result"], "ok (HTTP 200)");
  auto listed = wfa({"integration", "list", "acme/main", "-o", "csv"});
  EXPECT_NE(listed.out.find("retell,key…2b3c"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("synthflow,sf-…1c0b"), std::string::npos) << listed.out;
  // One authenticated read call per check, at the documented read endpoints.
  auto requests = fake.requests();
  ASSERT_EQ(requests.size(), 3u) << requests.dump();
  for (const auto& request : requests) {
    EXPECT_TRUE(request["authorized"].get<bool>()) << request.dump();
    EXPECT_EQ(request["method"], "GET");
  }
  EXPECT_EQ(requests[0]["path"], "/get-concurrency");  // retell, synthflow, vapi: the map's order
  EXPECT_EQ(requests[1]["path"], "/assistants/");
  EXPECT_EQ(requests[2]["path"], "/assistant");
  // The key file was made on first use, readable by its owner only.
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "secret.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  no_key_anywhere();
}

TEST_F(IntegrationCommand, ARefusedKeyIsExit6AndAnUnreachableProviderExit7) {
  ASSERT_EQ(wfa({"integration", "set", "acme/main", "vapi"}, "sk_live_wrong0000000000000000\n").exit_code, 0);
  auto refused = wfa({"integration", "test", "acme/main", "vapi"});
  EXPECT_EQ(refused.exit_code, 6) << refused.err;
  EXPECT_NE(refused.err.find("vapi refused the API key of acme/main (refused (HTTP 401))"), std::string::npos)
      << refused.err;
  EXPECT_EQ(value("SELECT last_test_result FROM workspace_integrations"), "refused (HTTP 401)");
  env["WFA_VAPI_BASE_URL"] = "http://127.0.0.1:9/vapi";
  env["WFA_PROVIDER_RETRIES"] = "1";
  auto unreachable = wfa({"integration", "test", "acme/main", "vapi"});
  EXPECT_EQ(unreachable.exit_code, 7) << unreachable.err;
  EXPECT_EQ(value("SELECT last_test_result FROM workspace_integrations"), "unreachable");
}

TEST_F(IntegrationCommand, BadKeysAreRefusedWithoutBeingShown) {
  auto spaced = wfa({"integration", "set", "acme/main", "vapi"}, "sk live secret\n");
  EXPECT_EQ(spaced.exit_code, 6);
  EXPECT_NE(spaced.err.find("has a space, control or non-ASCII character (not shown)"), std::string::npos)
      << spaced.err;
  EXPECT_EQ(spaced.err.find("live secret"), std::string::npos);
  EXPECT_EQ(wfa({"integration", "set", "acme/main", "vapi"}, "\n").exit_code, 6);
  EXPECT_EQ(wfa({"integration", "set", "acme/main", "zoom"}, vapi_key).exit_code, 2);
  auto from_file = file("key.txt", vapi_key + "\n");
  EXPECT_EQ(wfa({"integration", "set", "acme/main", "vapi", "--key-file", from_file}).exit_code, 0);
  EXPECT_EQ(count("workspace_integrations"), 1);
  no_key_anywhere();
}

TEST_F(IntegrationCommand, ASealedKeyCopiedToAnotherWorkspaceDoesNotOpen) {
  ASSERT_EQ(wfa({"integration", "set", "acme/main", "vapi"}, vapi_key).exit_code, 0);
  exec(
      "INSERT INTO workspace_integrations (workspace_id, provider, api_key, key_hint)"
      " SELECT w.id, provider, api_key, key_hint FROM workspace_integrations, workspaces w WHERE w.slug = 'other'");
  auto r = wfa({"integration", "test", "acme/other", "vapi"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("does not open"), std::string::npos) << r.err;
  EXPECT_EQ(fake.requests().size(), 0u) << "nothing was sent with a key that did not open";
}

TEST_F(IntegrationCommand, RotationReSealsEveryKeyAndTheOldKeyNoLongerOpensThem) {
  ASSERT_EQ(wfa({"integration", "set", "acme/main", "vapi"}, vapi_key).exit_code, 0);
  ASSERT_EQ(wfa({"integration", "set", "acme/other", "retell"}, retell_key).exit_code, 0);
  auto old_key = read_file(dir.path() / "secret.key", "key");
  auto before = value("SELECT string_agg(encode(api_key, 'hex'), ',' ORDER BY provider) FROM workspace_integrations");
  auto rotated = wfa({"secret", "rotate", "--yes", "-o", "json"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  auto doc = nlohmann::json::parse(rotated.out);
  EXPECT_EQ(doc["resealed"], 2);
  EXPECT_NE(doc["old_key_id"], doc["new_key_id"]);
  EXPECT_NE(read_file(dir.path() / "secret.key", "key"), old_key);
  EXPECT_FALSE(fs::exists(dir.path() / "secret.key.next"));
  EXPECT_NE(value("SELECT string_agg(encode(api_key, 'hex'), ',' ORDER BY provider) FROM workspace_integrations"),
            before);
  EXPECT_EQ(value("SELECT current_key_id FROM secret_key_state"), doc["new_key_id"].get<std::string>());
  EXPECT_EQ(wfa({"integration", "test", "acme/main", "vapi"}).exit_code, 0);
  EXPECT_EQ(wfa({"integration", "test", "acme/other", "retell"}).exit_code, 0);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action = 'secret.rotate'"), "1");
  // The old key, given back, is refused by name instead of failing to open each secret.
  env["WFA_SECRET_KEY"] = old_key.substr(0, 64);
  auto stale = wfa({"integration", "test", "acme/main", "vapi"});
  EXPECT_EQ(stale.exit_code, 2) << stale.err;
  EXPECT_NE(stale.err.find("sealed with key " + doc["new_key_id"].get<std::string>()), std::string::npos) << stale.err;
  no_key_anywhere();
}

TEST_F(IntegrationCommand, AKeyFromTheEnvironmentIsRotatedOnlyToAKeyTheOperatorGives) {
  env["WFA_SECRET_KEY"] = std::string(64, 'a');
  ASSERT_EQ(wfa({"integration", "set", "acme/main", "synthflow"}, synthflow_key).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir.path() / "secret.key")) << "no key file when the environment gives the key";
  auto refused = wfa({"secret", "rotate", "--yes"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--new-key-file"), std::string::npos) << refused.err;
  auto rotated = wfa({"secret", "rotate", "--yes", "--new-key-file", "-"}, std::string(64, 'b') + "\n");
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(rotated.err.find("set WFA_SECRET_KEY to the new key"), std::string::npos) << rotated.err;
  EXPECT_EQ(wfa({"integration", "test", "acme/main", "synthflow"}).exit_code, 2) << "the old key is refused by name";
  env["WFA_SECRET_KEY"] = std::string(64, 'b');
  EXPECT_EQ(wfa({"integration", "test", "acme/main", "synthflow"}).exit_code, 0);
  EXPECT_EQ(wfa({"integration", "set", "acme/main", "vapi"}, "not a key\n").exit_code, 6);
  auto bad_key = wfa({"integration", "list", "acme/main"});
  EXPECT_EQ(bad_key.exit_code, 0) << "listing needs no key";
}

TEST_F(IntegrationCommand, OnlyThoseWhoMayManageTheWorkspaceSetAndRemoveKeys) {
  add_user("viewer@acme.test");
  add_workspace_member("acme/main", "viewer@acme.test", "admin");
  env["WFA_AS"] = "viewer@acme.test";
  auto denied = wfa({"integration", "set", "acme/main", "vapi"}, vapi_key);
  EXPECT_EQ(denied.exit_code, 5) << denied.err;
  env.erase("WFA_AS");
  ASSERT_EQ(wfa({"integration", "set", "acme/main", "vapi"}, vapi_key).exit_code, 0);
  env["WFA_AS"] = "viewer@acme.test";
  EXPECT_EQ(wfa({"integration", "show", "acme/main", "vapi"}).exit_code, 0) << "an admin reads the masked key";
  EXPECT_EQ(wfa({"integration", "remove", "acme/main", "vapi", "--yes"}).exit_code, 5);
  env.erase("WFA_AS");
  auto removed = wfa({"integration", "remove", "acme/main", "vapi", "--yes"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(count("workspace_integrations"), 0);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'integration.%'"), "2");
  no_key_anywhere();
}

}  // namespace
}  // namespace wfa
