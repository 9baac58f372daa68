// Telegram initData: vectors computed outside wfa (Python's hmac and cryptography), valid with and without
// `signature`, tampered, stale, future, wrong bot, duplicate keys, and the Ed25519 third-party check.
#include <gtest/gtest.h>

#include "pipelines/telegram/init_data.hpp"

namespace wfa {
namespace {

const std::string token = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
const std::string with_signature =
    "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A5000000001234%2C%22first_name%22%3A%22Layla%22%2C%22last_"
    "name%22%3A%22Haddad%22%2C%22username%22%3A%22layla_h%22%2C%22language_code%22%3A%22ar%22%2C%22allows_write_to_"
    "pm%22%3Atrue%7D&auth_date=1764979200&signature=abc_def-ghi&hash="
    "cd116d187ce97a56b529bc1b2e70066827afda945ae0b7a7aa79488011ba9e18";
const std::string without_signature =
    "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A5000000001234%2C%22first_name%22%3A%22Layla%22%2C%22last_"
    "name%22%3A%22Haddad%22%2C%22username%22%3A%22layla_h%22%2C%22language_code%22%3A%22ar%22%2C%22allows_write_to_"
    "pm%22%3Atrue%7D&auth_date=1764979200&hash=639d8b11d4a50131ecf337126db2f79f6e39cc37aa442c59a8515830f8d66956";
const std::string ed25519_public = "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8";
const std::string signed_by_telegram =
    "query_id=AAH1&user=%7B%22id%22%3A5000000001234%2C%22first_name%22%3A%22Layla%22%7D&auth_date=1764979200&"
    "signature=jeajk2MaqPn0qkSOcrPDjrLK5teVgEpxYI8-f8K2Pquh5h0fFtAA94lSmadPrJbVoqsc9nkpjK_PmDe4DfPTBw&hash="
    "fadffd71c7e0b5f8fba44113bc1d9486ae5b733a7212136e7e1d1ec6cb8c0d19";

InitDataRules at(std::int64_t now) { return {now, 86400, 60}; }

TEST(InitData, ValidWithAndWithoutSignatureGivesTheUser) {
  auto secret = init_data_secret(token);
  for (const auto& raw : {with_signature, without_signature}) {
    auto v = verify_init_data(raw, secret, at(1764979200 + 3600));
    ASSERT_TRUE(v.ok()) << v.problem;
    ASSERT_TRUE(v.data->user);
    EXPECT_EQ(v.data->user->id, 5000000001234) << "more than 32 bits";
    EXPECT_EQ(v.data->user->first_name, "Layla");
    EXPECT_EQ(v.data->user->language_code, "ar");
    EXPECT_EQ(v.data->auth_date, 1764979200);
  }
}

TEST(InitData, TamperedStaleFutureWrongBotAndMalformedAreRefused) {
  auto secret = init_data_secret(token);
  auto tampered = with_signature;
  tampered.replace(tampered.find("Layla"), 5, "Laylo");
  EXPECT_EQ(verify_init_data(tampered, secret, at(1764979200)).problem, "bad hash");
  EXPECT_EQ(verify_init_data(with_signature, secret, at(1764979200 + 86401)).problem, "stale");
  EXPECT_EQ(verify_init_data(with_signature, secret, at(1764979200 - 61)).problem, "from the future");
  EXPECT_EQ(verify_init_data(with_signature, init_data_secret("7123456789:another"), at(1764979200)).problem,
            "bad hash");
  EXPECT_EQ(verify_init_data(with_signature + "&auth_date=1", secret, at(1764979200)).problem, "malformed")
      << "a repeated key";
  EXPECT_EQ(verify_init_data("user=%7", secret, at(1764979200)).problem, "malformed");
  EXPECT_EQ(verify_init_data("", secret, at(1764979200)).problem, "malformed");
  auto upper = without_signature;
  for (auto i = upper.find("hash=") + 5; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(verify_init_data(upper, secret, at(1764979200)).ok()) << "hex in either case";
}

TEST(InitData, TheThirdPartySignatureHoldsUnderTelegramsKeyOnly) {
  auto v = verify_init_data_signature(signed_by_telegram, 7123456789, ed25519_public, at(1764979200));
  ASSERT_TRUE(v.ok()) << v.problem;
  EXPECT_EQ(v.data->user->id, 5000000001234);
  EXPECT_EQ(verify_init_data_signature(signed_by_telegram, 7123456780, ed25519_public, at(1764979200)).problem,
            "bad signature")
      << "another bot";
  EXPECT_EQ(
      verify_init_data_signature(signed_by_telegram, 7123456789,
                                 "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d", at(1764979200))
          .problem,
      "bad signature")
      << "Telegram's production key did not sign the test vector";
  EXPECT_TRUE(verify_init_data(signed_by_telegram, init_data_secret(token), at(1764979200)).ok())
      << "the same data passes the bot's HMAC too";
  EXPECT_EQ(bot_id_of(token), 7123456789);
  EXPECT_EQ(bot_id_of("no-colon"), std::nullopt);
}

}  // namespace
}  // namespace wfa
