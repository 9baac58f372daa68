// Phone-number payloads: credentials files per provider and source, termination URIs, area codes, each provider's
// requests and the ids read back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "pipelines/providers/number_payload.hpp"

namespace wfa {
namespace {

using json = nlohmann::json;

json body_of(const NumberRequest& r) { return json::parse(r.body); }

TEST(NumberPayload, CredentialsNeedTheFieldsOfTheirSourceAndNoOthers) {
  auto twilio = read_number_credentials(json{{"account_sid", "AC1"}, {"auth_token", "t0ken"}}, "vapi", "twilio", "f");
  EXPECT_EQ(twilio.account_sid, "AC1");
  EXPECT_EQ(json::parse(twilio.to_json()), (json{{"account_sid", "AC1"}, {"auth_token", "t0ken"}}));
  EXPECT_THROW(read_number_credentials(json{{"account_sid", "AC1"}}, "vapi", "twilio", "f"), InvalidInputError);
  EXPECT_THROW(read_number_credentials(json{{"api_key", "k"}, {"username", "u"}}, "vapi", "telnyx", "f"),
               InvalidInputError);
  EXPECT_THROW(read_number_credentials(json{{"api_key", ""}}, "vapi", "telnyx", "f"), InvalidInputError);
  EXPECT_THROW(read_number_credentials(json{{"api_key", 7}}, "vapi", "telnyx", "f"), InvalidInputError);
  EXPECT_THROW(read_number_credentials(json::array(), "vapi", "telnyx", "f"), InvalidInputError);
  EXPECT_TRUE(read_number_credentials(json::object(), "retell", "twilio", "f").empty()) << "a trunk by IP address";
  EXPECT_THROW(read_number_credentials(json{{"password", "p"}}, "retell", "sip", "f"), InvalidInputError);
  try {
    read_number_credentials(json{{"account_sid", "AC1"}, {"auth_token", "t0ken"}, {"x", "s3cret"}}, "vapi", "twilio",
                            "f");
    FAIL();
  } catch (const InvalidInputError& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << "never a value";
  }
  EXPECT_EQ(twilio.hint("twilio"), "twilio …C1");
}

TEST(NumberPayload, TerminationUrisAndAreaCodes) {
  EXPECT_EQ(check_termination_uri("uri", "Example.PSTN.twilio.com"), "example.pstn.twilio.com");
  EXPECT_EQ(check_termination_uri("uri", "sip:10.0.0.1:5060"), "sip:10.0.0.1:5060");
  for (const auto* bad : {"", "sip:", "http://x.example", "a b.example", "x.example:0", "x.example:70000", "local"})
    EXPECT_THROW(check_termination_uri("uri", bad), InvalidInputError) << bad;
  EXPECT_EQ(check_area_code("area", "415"), "415");
  for (const auto* bad : {"", "41", "4155", "015", "abc"})
    EXPECT_THROW(check_area_code("area", bad), InvalidInputError);
  EXPECT_TRUE(needs_termination_uri("retell", "twilio"));
  EXPECT_TRUE(needs_termination_uri("vapi", "sip"));
  EXPECT_FALSE(needs_termination_uri("vapi", "telnyx"));
  EXPECT_TRUE(needs_termination_uri("synthflow", "telnyx"));
}

TEST(NumberPayload, EachProvidersRequests) {
  auto vapi = create_number_request("vapi", "415");
  EXPECT_EQ(vapi.path, "/phone-number");
  EXPECT_EQ(body_of(vapi), (json{{"provider", "vapi"}, {"numberDesiredAreaCode", "415"}}));
  EXPECT_EQ(body_of(create_number_request("retell", "415")), (json{{"area_code", 415}}));
  EXPECT_THROW(create_number_request("synthflow", "415"), UsageError);
  NumberCredentials sip;
  sip.username = "u";
  sip.password = "p";
  auto credential = credential_request("vapi", "sip", sip, "sip:trunk.example.net:5061");
  ASSERT_TRUE(credential);
  EXPECT_EQ(body_of(*credential)["gateways"], json::array({{{"ip", "trunk.example.net"}, {"port", 5061}}}));
  EXPECT_FALSE(credential_request("vapi", "twilio", sip, ""));
  EXPECT_FALSE(credential_request("retell", "sip", sip, "x.example"));
  auto retell = import_number_request("retell", "sip", "+14155550100", sip, {"x.example", "", ""});
  EXPECT_EQ(body_of(retell), (json{{"phone_number", "+14155550100"},
                                   {"termination_uri", "x.example"},
                                   {"sip_trunk_auth_username", "u"},
                                   {"sip_trunk_auth_password", "p"}}));
  auto synthflow = import_number_request("synthflow", "telnyx", "+14155550100", sip, {"sip.telnyx.com", "", "ws-1"});
  EXPECT_EQ(synthflow.path, "/custom-numbers");
  EXPECT_EQ(body_of(synthflow), (json{{"workspace_id", "ws-1"},
                                      {"phone_number", "+14155550100"},
                                      {"termination_uri", "sip.telnyx.com"},
                                      {"trunk_username", "u"},
                                      {"trunk_pwd", "p"}}));
  EXPECT_EQ(read_provider_number(
                "synthflow", json{{"status", "ok"}, {"response", {{"key", "k1"}, {"phone_number", "+14155550100"}}}})
                .id,
            "14155550100")
      << "an imported custom number's slug is its number without the +";
  EXPECT_FALSE(delete_credential_request("retell", "c1"));
  EXPECT_EQ(delete_credential_request("vapi", "c1")->path, "/credential/c1");
  EXPECT_EQ(fetch_number_request("retell", "+14155550100").path, "/get-phone-number/%2B14155550100");
  EXPECT_EQ(route_request("vapi", "pn1", "", "").body, R"({"assistantId":null})");
  EXPECT_EQ(route_request("synthflow", "slug1", "", "m1").path, "/assistants/m1/phone_numbers/slug1");
  EXPECT_EQ(route_request("synthflow", "slug1", "m2", "m1").method, "PUT");
  EXPECT_EQ(release_number_request("retell", "+14155550100").path, "/delete-phone-number/%2B14155550100");
}

TEST(NumberPayload, AnswersGiveIdAndNumber) {
  auto vapi = read_provider_number("vapi", json{{"id", "pn1"}, {"number", "+14155550100"}, {"assistantId", "a1"}});
  EXPECT_EQ(vapi.id, "pn1");
  EXPECT_EQ(vapi.agent, "a1");
  auto retell = read_provider_number("retell", json{{"phone_number", "+14155550100"}});
  EXPECT_EQ(retell.id, "+14155550100");
  auto synthflow =
      read_provider_number("synthflow", json{{"status", "ok"}, {"response", {{"slug", "s1"}, {"phone_number", "+1"}}}});
  EXPECT_EQ(synthflow.id, "s1");
  EXPECT_THROW(read_provider_number("vapi", json{{"id", "pn1"}}), TemporaryError);
  EXPECT_THROW(read_credential_id("vapi", json::object()), TemporaryError);
}

}  // namespace
}  // namespace wfa
