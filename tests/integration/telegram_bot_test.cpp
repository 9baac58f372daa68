// `wfa telegram bot set|show|remove`: the token sealed and masked everywhere, one bot per partner, partner admins only,
// and re-sealed by `wfa secret rotate`.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/secret_box.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

const std::string token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

class TelegramBot : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string outputs;
  TelegramBot() {
    add_partner("acme", "Acme");
    add_partner("zeta", "Zeta");
    add_user("admin@acme.test");
    add_user("member@acme.test");
    add_partner_member("acme", "admin@acme.test", "admin");
    add_partner_member("acme", "member@acme.test", "member");
  }
  ProcessResult wfa(const std::vector<std::string>& args, const std::string& input = "") {
    auto r = run(args, input);
    outputs += r.out + r.err;
    return r;
  }
};

TEST_F(TelegramBot, TheTokenIsSealedShownMaskedAndReSealedOnRotation) {
  auto set = wfa({"telegram", "bot", "set", "acme", "--as", "admin@acme.test", "-o", "json"}, token + "\n");
  ASSERT_EQ(set.exit_code, 0) << set.err;
  auto doc = nlohmann::json::parse(set.out);
  EXPECT_EQ(doc["bot_id"], 7123456789);
  EXPECT_EQ(doc["token"], masked_secret(token));
  EXPECT_EQ(doc["webhook_path"].get<std::string>().rfind("/webhooks/telegram/", 0), 0u);
  EXPECT_EQ(value("SELECT position('AAHdqTcv' in encode(token, 'escape')) FROM telegram_bots"), "0")
      << "sealed, not stored in the clear";
  auto shown = wfa({"telegram", "bot", "show", "acme", "-o", "json"});
  EXPECT_EQ(nlohmann::json::parse(shown.out)["webhook_path"], doc["webhook_path"]);

  auto again = wfa({"telegram", "bot", "set", "acme"}, token + "\n");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(wfa({"telegram", "bot", "show", "acme", "-o", "json"}).out)["webhook_path"],
            doc["webhook_path"])
      << "a new token keeps the webhook path";

  auto rotated = wfa({"secret", "rotate", "--yes", "-o", "json"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_EQ(nlohmann::json::parse(rotated.out)["resealed"], 1);

  EXPECT_EQ(wfa({"telegram", "bot", "remove", "acme", "--yes"}).exit_code, 0);
  EXPECT_EQ(wfa({"telegram", "bot", "show", "acme"}).exit_code, 3);
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE action LIKE 'telegram.bot_%'"), "3");
  EXPECT_EQ(value("SELECT count(*) FROM audit_log WHERE old_values::text LIKE '%AAHdqTcv%' OR new_values::text LIKE"
                  " '%AAHdqTcv%'"),
            "0");
  EXPECT_EQ(outputs.find("AAHdqTcv"), std::string::npos) << "the token never appears in any output";
}

TEST_F(TelegramBot, BadTokensOtherPartnersBotsAndPlainMembersAreRefused) {
  auto bad = wfa({"telegram", "bot", "set", "acme"}, "not-a-token\n");
  EXPECT_EQ(bad.exit_code, 6);
  EXPECT_NE(bad.err.find("not BOT_ID:SECRET"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("not-a-token"), std::string::npos) << "the text given is not echoed";
  EXPECT_EQ(wfa({"telegram", "bot", "set", "acme", "--as", "member@acme.test"}, token + "\n").exit_code, 5);
  ASSERT_EQ(wfa({"telegram", "bot", "set", "acme"}, token + "\n").exit_code, 0);
  auto taken = wfa({"telegram", "bot", "set", "zeta"}, token + "\n");
  EXPECT_EQ(taken.exit_code, 4);
  EXPECT_NE(taken.err.find("already serves partner acme"), std::string::npos) << taken.err;
  EXPECT_EQ(count("telegram_bots"), 1);
}

}  // namespace
}  // namespace wfa
