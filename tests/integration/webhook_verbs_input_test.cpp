// Bad input to the verbs of the webhooks work: one line naming what is wrong, the documented exit code, nothing
// changed, no secret in any output.
#include <nlohmann/json.hpp>

#include "tests/support/fake_providers.hpp"
#include "tests/support/integration_fixture.hpp"

namespace wfa {
namespace {

class WebhookVerbsInput : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  WebhookVerbsInput() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    add_user("member@acme.test");
    add_workspace_member("acme/main", "member@acme.test", "member");
  }
  /// refused runs ARGS, expects EXIT and one line on stderr holding WORDS.
  void refused(const std::vector<std::string>& args, int exit, const std::string& words,
               const std::string& input = "") {
    auto r = run(args, input);
    EXPECT_EQ(r.exit_code, exit) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }
};

TEST_F(WebhookVerbsInput, IntegrationWebhookSecretAndSecretSetRefuseWhatTheyCannotKeep) {
  refused({"integration", "webhook-secret", "acme/main", "retell"}, 2, "Retell signs its webhooks with the API key",
          "whatever\n");
  refused({"integration", "webhook-secret", "acme/main", "vapi"}, 3, "has no vapi integration", "hook-secret\n");
  refused({"integration", "webhook-secret", "acme/main", "paypal"}, 2, "paypal", "hook-secret\n");
  refused({"secret", "set", "paypal_webhook"}, 2, "paypal_webhook", "s\n");
  refused({"secret", "set", "stripe_webhook", "--as", "member@acme.test"}, 5, "member@acme.test", "whsec_x\n");
  refused({"secret", "list", "--as", "member@acme.test"}, 5, "member@acme.test");
  EXPECT_EQ(count("platform_secrets"), 0);
}

TEST_F(WebhookVerbsInput, TelegramWebhookNeedsABotAnAddressAndATokenTelegramAccepts) {
  refused({"telegram", "webhook", "set", "acme"}, 3, "has no Telegram bot");
  const std::string token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
  ASSERT_EQ(run({"telegram", "bot", "set", "acme"}, token + "\n").exit_code, 0);
  refused({"telegram", "webhook", "set", "acme"}, 2, "public_url");
  test::FakeProviders fake(
      std::map<std::string, std::string>{{"telegram", "7000000001:another-token-xxxxxxxxxxxxxxxxxxxxxx"}});
  env["WFA_TELEGRAM_API_BASE_URL"] = fake.base_url("telegram");
  auto r = run({"telegram", "webhook", "set", "acme", "--url", "https://hooks.acme.test/x"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("Telegram refused the bot token"), std::string::npos) << r.err;
  EXPECT_EQ((r.out + r.err).find("AAHdqTcv"), std::string::npos) << "the token never appears, not even in an error";
  EXPECT_EQ(value("SELECT webhook_secret IS NULL FROM telegram_bots"), "t") << "nothing kept when Telegram refused";
}

TEST_F(WebhookVerbsInput, WebhooksAndAppAgentVerbsNameTheFlagThatIsWrong) {
  refused({"webhooks", "list", "--status", "lost"}, 2, "lost");
  refused({"webhooks", "show", "42"}, 2, "42 is not an id");
  refused({"webhooks", "show", "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"}, 3, "no webhook event");
  auto body = file("body.json", "{}");
  auto secret = file("secret", "s\n");
  refused({"webhooks", "verify", "--provider", "vapi", "--secret-file", secret, "--header", "no colon", "--body-file",
           body},
          2, "--header no colon");
  refused({"webhooks", "verify", "--provider", "vapi", "--secret-file", secret, "--body-file", body}, 5,
          "does not hold");
  refused({"app-agent", "act", "voice", "sync", "--workspace", "acme/main", "--param", "agent"}, 2,
          "--param agent is not NAME=VALUE");
}

}  // namespace
}  // namespace wfa
