#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/secret_box.hpp"

namespace wfa {
namespace {

const std::string context = "workspace_integrations/w1/vapi";

TEST(SecretBox, SealedSecretsOpenOnlyWithTheirKeyAndContext) {
  auto key = SecretKey::generate();
  auto sealed = seal_secret(key, "sk_live_secret", context);
  EXPECT_EQ(sealed.find("sk_live_secret"), std::string::npos);
  EXPECT_EQ(sealed.size(), 1 + 8 + 12 + 14 + 16u);
  EXPECT_EQ(sealed_key_id(sealed), key.id);
  EXPECT_EQ(open_secret(key, sealed, context, "the key"), "sk_live_secret");
  EXPECT_NE(seal_secret(key, "sk_live_secret", context), sealed) << "a fresh nonce every time";
  EXPECT_THROW(open_secret(key, sealed, "workspace_integrations/w2/vapi", "the key"), InvalidInputError);
  EXPECT_THROW(open_secret(SecretKey::generate(), sealed, context, "the key"), InvalidInputError);
  for (std::size_t at : {std::size_t(9), std::size_t(21), sealed.size() - 1}) {
    auto changed = sealed;
    changed[at] = static_cast<char>(changed[at] ^ 1);
    EXPECT_THROW(open_secret(key, changed, context, "the key"), InvalidInputError) << "byte " << at;
  }
  try {
    open_secret(key, sealed, "elsewhere", "the vapi key");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_STREQ(e.what(), "the vapi key does not open: it was changed, or belongs to another record");
  }
}

TEST(SecretBox, KeysAreReadAsHexOrBase64AndNeverEchoed) {
  auto hex = SecretKey::parse(std::string(64, 'a') + "\n", "env WFA_SECRET_KEY");
  EXPECT_EQ(hex.hex(), std::string(64, 'a'));
  EXPECT_EQ(hex.id.size(), 16u);
  auto base64 = SecretKey::parse("qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=", "env WFA_SECRET_KEY");
  EXPECT_EQ(base64.hex(), std::string(64, 'a'));
  EXPECT_EQ(base64.id, hex.id);
  for (const std::string& bad : std::vector<std::string>{"short", std::string(63, 'a'), std::string(64, 'g'),
                                                         "topsecret-password-that-is-long"}) {
    try {
      SecretKey::parse(bad, "env WFA_SECRET_KEY");
      FAIL() << bad;
    } catch (const InvalidInputError& e) {
      EXPECT_EQ(std::string(e.what()).find(bad), std::string::npos);
      EXPECT_STREQ(e.what(), "env WFA_SECRET_KEY is not a 256-bit key");
    }
  }
  EXPECT_NE(SecretKey::generate().id, SecretKey::generate().id);
}

TEST(SecretBox, MaskedSecretsShowAPrefixAndTheLastFour) {
  EXPECT_EQ(masked_secret("sk_live_4f1c9a2e77b04d1b8e5aa1b2"), "sk_…a1b2");
  EXPECT_EQ(masked_secret("key_9b2d0c3e4f5a6b7c8d9e0f1a2b3c"), "key…2b3c");
  EXPECT_EQ(masked_secret("3f1c9a2e-1111-2222-3333-444455556666"), "3f1…6666");
  EXPECT_EQ(masked_secret("short12345"), "…45");
  std::string secret = "wipe me";
  wipe_secret(secret);
  EXPECT_TRUE(secret.empty());
}

}  // namespace
}  // namespace wfa
