// `wfa agent` create, update, delete, restore, show and list against the real database.
#include <filesystem>
#include <string>

#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

class AgentCommand : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string spec;

  AgentCommand() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    spec = file("front-desk.json", R"({"name": "Front desk", "provider": "vapi",
      "voice": {"provider": "11labs", "voice_id": "rachel"},
      "model": {"provider": "openai", "model": "gpt-4.1"},
      "system_prompt": "You book viewings.", "first_message": "Hello!"})");
  }
};

TEST_F(AgentCommand, CreateUpdateDeleteRestoreKeepVersionsAndAnAuditTrail) {
  auto created = run_json({"agent", "create", "--workspace", "acme/main", "--spec", spec});
  EXPECT_EQ(created["version"], 1);
  EXPECT_EQ(created["sync_status"], "pending");
  EXPECT_EQ(created["needs_resync"], true);
  auto stored = nlohmann::json::parse(created["spec"].get<std::string>());
  EXPECT_EQ(stored["voice"]["voice_id"], "rachel");

  auto updated = run_json({"agent", "update", "front desk", "--workspace", "acme/main", "--temperature", "0.3"});
  EXPECT_EQ(updated["version"], 2);
  EXPECT_EQ(nlohmann::json::parse(updated["spec"].get<std::string>())["model"]["temperature"], 0.3);
  auto same = run({"agent", "update", "Front desk", "--workspace", "acme/main", "--temperature", "0.3"});
  EXPECT_EQ(same.exit_code, 0);
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;
  EXPECT_EQ(value("SELECT version FROM ai_agents"), "2");

  auto moved = run({"agent", "update", "Front desk", "--workspace", "acme/main", "--provider", "retell"});
  EXPECT_EQ(moved.exit_code, 6) << "retell has no 11labs voices: the spec is checked first. " << moved.err;

  auto deleted = run_json({"agent", "delete", "Front desk", "--workspace", "acme/main", "--yes"});
  EXPECT_EQ(deleted["sync_status"], "removed") << "never synced, so nothing is left to remove at the provider";
  EXPECT_EQ(run({"agent", "show", "Front desk", "--workspace", "acme/main"}).exit_code, 3);
  auto again = run_json({"agent", "create", "--workspace", "acme/main", "--spec", spec});
  EXPECT_EQ(again["version"], 1) << "the name is free once its agent is deleted";
  auto restore = run({"agent", "restore", "Front desk", "--workspace", "acme/main"});
  EXPECT_EQ(restore.exit_code, 4) << "a live agent has the name: " << restore.err;
  run_json({"agent", "delete", again["id"].get<std::string>(), "--workspace", "acme/main", "--yes"});
  auto restored = run_json({"agent", "restore", "Front desk", "--workspace", "acme/main"});
  EXPECT_EQ(restored["id"], again["id"]) << "the most recently deleted one comes back";

  auto listed = run({"agent", "list", "--workspace", "acme/main", "-o", "csv"});
  EXPECT_NE(listed.out.find("Front desk,vapi,11labs,openai,2,pending,true"), std::string::npos) << listed.out;
  auto removed = run({"agent", "list", "--workspace", "acme/main", "--deleted", "--status", "removed", "-o", "csv"});
  EXPECT_NE(removed.out.find("Front desk,vapi"), std::string::npos) << removed.out;
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'agent.%'"),
            "6");  // the refused restore is not one
}

TEST_F(AgentCommand, SpecsAreCheckedBeforeAnythingIsStored) {
  auto bad = file("bad.json", R"({"name": "X", "provider": "vapi", "voice": {"provider": "bark", "voice_id": "v"},
    "model": {"provider": "openai", "model": "gpt-4.1"}, "system_prompt": "p"})");
  auto r = run({"agent", "create", "--workspace", "acme/main", "--spec", bad});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("bad.json: voice.provider 'bark' is not a vapi voice provider"), std::string::npos) << r.err;
  auto typo = file("typo.json", R"({"name": "X", "provider": "vapi", "sytem_prompt": "p"})");
  auto t = run({"agent", "create", "--workspace", "acme/main", "--spec", typo});
  EXPECT_EQ(t.exit_code, 6);
  EXPECT_NE(t.err.find("typo.json: sytem_prompt is not a field wfa knows"), std::string::npos) << t.err;
  auto flags = run({"agent", "create", "--workspace", "acme/main", "--name", "Y", "--provider", "synthflow",
                    "--voice-id", "v1", "--model", "gpt-4.1"});
  EXPECT_EQ(flags.exit_code, 6);
  EXPECT_NE(flags.err.find("agent 'Y': system_prompt is missing"), std::string::npos) << flags.err;
  EXPECT_EQ(run({"agent", "create", "--workspace", "acme/main"}).exit_code, 2);
  EXPECT_EQ(count("ai_agents"), 0);
  ASSERT_EQ(run({"agent", "create", "--workspace", "acme/main", "--spec", spec}).exit_code, 0);
  auto twice = run({"agent", "create", "--workspace", "acme/main", "--spec", spec, "--name", "FRONT DESK"});
  EXPECT_EQ(twice.exit_code, 4) << twice.err;
}

TEST_F(AgentCommand, MembersUseAgentsButOnlyAdminsChangeThem) {
  add_user("member@acme.test");
  add_workspace_member("acme/main", "member@acme.test", "member");
  add_user("admin@acme.test");
  add_workspace_member("acme/main", "admin@acme.test", "admin");
  env["WFA_AS"] = "member@acme.test";
  EXPECT_EQ(run({"agent", "create", "--workspace", "acme/main", "--spec", spec}).exit_code, 5);
  env["WFA_AS"] = "admin@acme.test";
  ASSERT_EQ(run({"agent", "create", "--workspace", "acme/main", "--spec", spec}).exit_code, 0);
  env["WFA_AS"] = "member@acme.test";
  EXPECT_EQ(run({"agent", "list", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(run({"agent", "delete", "Front desk", "--workspace", "acme/main", "--yes"}).exit_code, 5);
}

TEST_F(AgentCommand, KnowledgeDocumentsAreStoredLinkedAndDroppedFromSpecsWhenRemoved) {
  auto faq = file("faq.md", "# FAQ\nOpen 9 to 5.\n");
  auto pdf = file("prices.pdf", "%PDF-1.7\n%%EOF\n");
  auto bogus = file("notes.pdf", "not a pdf");
  ASSERT_EQ(run({"knowledge", "add", faq, "--workspace", "acme/main"}).exit_code, 0);
  auto added = run_json({"knowledge", "add", pdf, "--workspace", "acme/main", "--name", "Prices"});
  EXPECT_EQ(added["media_type"], "application/pdf");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "files" / added["path"].get<std::string>()));
  EXPECT_EQ(run({"knowledge", "add", bogus, "--workspace", "acme/main"}).exit_code, 6);
  EXPECT_EQ(run({"knowledge", "add", faq, "--workspace", "acme/main"}).exit_code, 4);

  auto with_knowledge = file("kb.json", R"({"name": "Helper", "provider": "vapi",
      "voice": {"provider": "11labs", "voice_id": "rachel"}, "model": {"provider": "openai", "model": "gpt-4.1"},
      "system_prompt": "Answer questions.", "knowledge": ["faq.md"]})");
  ASSERT_EQ(run({"agent", "create", "--workspace", "acme/main", "--spec", with_knowledge}).exit_code, 0);
  EXPECT_EQ(run_json({"agent", "show", "Helper", "--workspace", "acme/main"})["knowledge"], "faq.md");
  auto linked = run_json({"agent", "link-knowledge", "Helper", "Prices", "--workspace", "acme/main"});
  EXPECT_EQ(linked["version"], 2);
  EXPECT_EQ(run_json({"agent", "show", "Helper", "--workspace", "acme/main"})["knowledge"], "Prices, faq.md");
  auto missing = file("missing.json", R"({"name": "Lost", "provider": "vapi",
      "voice": {"provider": "11labs", "voice_id": "r"}, "model": {"provider": "openai", "model": "gpt-4.1"},
      "system_prompt": "p", "knowledge": ["nope.md"]})");
  EXPECT_EQ(run({"agent", "create", "--workspace", "acme/main", "--spec", missing}).exit_code, 3);

  auto removed = run({"knowledge", "remove", "faq.md", "--workspace", "acme/main", "--yes"});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  auto helper = run_json({"agent", "show", "Helper", "--workspace", "acme/main"});
  EXPECT_EQ(helper["knowledge"], "Prices");
  EXPECT_EQ(helper["version"], 3);
  EXPECT_EQ(nlohmann::json::parse(helper["spec"].get<std::string>())["knowledge"], nlohmann::json({"Prices"}));
  EXPECT_EQ(run({"agent", "unlink-knowledge", "Helper", "Prices", "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(value("SELECT count(*) FROM agent_knowledge_documents"), "0");
  auto listed = run({"knowledge", "list", "--workspace", "acme/main", "-o", "csv"});
  EXPECT_NE(listed.out.find("Prices,application/pdf,"), std::string::npos) << listed.out;
}

}  // namespace
}  // namespace wfa
