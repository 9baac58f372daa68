// Call records: the file splitter (NDJSON and arrays across block boundaries), exact money and time conversions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "pipelines/calls/call_row.hpp"
#include "pipelines/calls/json_records.hpp"

namespace wfa {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / (name + "." + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::vector<std::pair<std::size_t, std::string>> records_of(const std::string& path) {
  JsonRecordReader reader(path);
  std::vector<std::pair<std::size_t, std::string>> out;
  std::string_view record;
  std::size_t line = 0;
  while (reader.next(record, line)) out.emplace_back(line, std::string(record));
  std::filesystem::remove(path);
  return out;
}

TEST(JsonRecords, NdjsonSkipsBlankLinesAndKeepsLineNumbers) {
  auto got = records_of(write_temp("a.ndjson", "{\"id\": 1}\r\n\n  {\"id\": 2}  \n{\"id\": 3}"));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], std::make_pair(std::size_t{1}, std::string("{\"id\": 1}")));
  EXPECT_EQ(got[1], std::make_pair(std::size_t{3}, std::string("{\"id\": 2}")));
  EXPECT_EQ(got[2], std::make_pair(std::size_t{4}, std::string("{\"id\": 3}")));
}

TEST(JsonRecords, ArraysSplitOnTheirOwnBracesEvenInsideStringsAndAcrossBlocks) {
  std::string text = "[\n";
  for (int i = 0; i < 3000; ++i)
    text += std::string(i ? ",\n" : "") + "  {\"id\": " + std::to_string(i) + ", \"t\": \"a } \\\" ] {\", \"pad\": \"" +
            std::string(4000, 'x') + "\"}";
  text += "\n]\n";
  auto got = records_of(write_temp("b.json", text));
  ASSERT_EQ(got.size(), 3000u) << "12 MB: the 8 MB blocks split some element";
  EXPECT_EQ(got[0].first, 2u);
  EXPECT_EQ(got[2999].first, 3001u);
  EXPECT_EQ(got[1234].second.substr(0, 12), "{\"id\": 1234,");
  EXPECT_EQ(got[1234].second.back(), '}');
}

TEST(JsonRecords, ACutArrayOrAnElementThatIsNotAnObjectIsOneLineWithItsPlace) {
  try {
    records_of(write_temp("c.json", "[{\"id\": 1},\n {\"id\": 2"));
    FAIL() << "a cut array was read";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find(":2: the JSON array is cut short"), std::string::npos) << e.what();
  }
  EXPECT_THROW(records_of(write_temp("d.json", "[1, 2]")), InvalidInputError);
  EXPECT_THROW(JsonRecordReader("/nonexistent/calls.ndjson"), InvalidInputError);
}

TEST(CallMoney, DecimalsBecomeMicroDollarsExactly) {
  EXPECT_EQ(decimal_micros("0.4233", 0), 423300);
  EXPECT_EQ(decimal_micros("110914.7485", 0), 110914748500);
  EXPECT_EQ(decimal_micros("0.0000005", 0), 1) << "half a micro-dollar rounds up";
  EXPECT_EQ(decimal_micros("0.0000004", 0), 0);
  EXPECT_EQ(decimal_micros("12.5", 2), 125000) << "Retell's cents";
  EXPECT_EQ(decimal_micros("7", 2), 70000);
  EXPECT_EQ(decimal_micros("1e-2", 0), 10000);
  EXPECT_EQ(decimal_micros("-1", 0), std::nullopt);
  EXPECT_EQ(decimal_micros("abc", 0), std::nullopt);
  EXPECT_EQ(decimal_micros("1.", 0), std::nullopt);
}

TEST(CallTimes, Iso8601ReadsZonesAndFractionsAndWritesUtc) {
  EXPECT_EQ(iso8601_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(iso8601_ms("2026-11-03T10:00:00.250Z"), 1793700000250);
  EXPECT_EQ(iso8601_ms("2026-11-03T14:00:00+04:00"), 1793700000000);
  EXPECT_EQ(iso8601_ms("2026-11-03 10:00:00.5"), 1793700000500);
  EXPECT_EQ(iso8601_ms("2026-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(iso8601_ms("yesterday"), std::nullopt);
  EXPECT_EQ(utc_text(1793700000250), "2026-11-03T10:00:00.250Z");
  EXPECT_EQ(utc_text(-1), "1969-12-31T23:59:59.999Z");
}

TEST(CallNormalizer, MissingIdsAndWrongTypesAreReasonsNotRows) {
  CallNormalizer vapi("vapi");
  CallBatch batch;
  // Each record is followed by the padding the reader guarantees.
  auto add = [&](std::string record, std::size_t line) {
    auto size = record.size();
    record += std::string(JsonRecordReader::record_padding, ' ');
    return vapi.add(std::string_view(record.data(), size), line, batch);
  };
  EXPECT_EQ(add(R"({"assistantId": "a"})", 1), std::string("id is missing"));
  auto reason = add(R"({"id": "c", "cost": "free"})", 2);
  ASSERT_TRUE(reason);
  EXPECT_NE(reason->find("cost"), std::string::npos) << *reason;
  EXPECT_TRUE(batch.rows.empty()) << "a refused record leaves the batch as it was";
  EXPECT_EQ(add(R"({"id": "c", "status": "ended", "endedReason": "customer-busy"})", 3), std::nullopt);
  ASSERT_EQ(batch.rows.size(), 1u);
  EXPECT_STREQ(batch.value(0, call_status), "busy");
  EXPECT_STREQ(batch.value(0, call_cost_micros), "0");
  EXPECT_EQ(batch.value(0, call_phone_number), nullptr);
}

TEST(CallNormalizer, EachProviderCarriesTheAttemptIdAndAnEndedCallsOutcome) {
  CallBatch batch;
  auto add = [&](const char* provider, std::string record) {
    CallNormalizer normalizer(provider);
    auto size = record.size();
    record += std::string(JsonRecordReader::record_padding, ' ');
    auto fault = normalizer.add(std::string_view(record.data(), size), batch.rows.size() + 1, batch);
    EXPECT_EQ(fault, std::nullopt) << provider << ": " << fault.value_or("");
    return batch.rows.size() - 1;
  };
  const std::string id = "0b6f8e2a-6c1d-4c55-9d0e-3f1a2b3c4d5e";
  auto attempt = [&](std::size_t row) {
    std::string meta = batch.value(row, call_metadata);
    auto at = meta.find("\"wfa_attempt_id\":\"");
    return at == std::string::npos ? std::string() : meta.substr(at + 18, 36);
  };
  auto outcome = [&](std::size_t row) {
    auto v = batch.value(row, call_campaign_outcome);
    return v ? std::string(v) : std::string("running");
  };
  auto v = add("vapi", R"({"id": "v1", "status": "ended", "endedReason": "customer-did-not-answer",
      "metadata": {"wfa_attempt_id": ")" +
                           id + R"("}})");
  EXPECT_EQ(attempt(v), id);
  EXPECT_EQ(outcome(v), "no_answer");
  v = add("vapi", R"({"id": "v2", "status": "ended", "endedReason": "customer-ended-call", "assistantOverrides":
      {"metadata": {"wfa_attempt_id": ")" +
                      id + R"("}}, "analysis": {"structuredData": {"opted_out": "yes"}}})");
  EXPECT_EQ(attempt(v), id);
  EXPECT_EQ(outcome(v), "opted_out");
  v = add("vapi", R"({"id": "v3", "status": "in-progress", "metadata": {"wfa_attempt_id": "not-a-uuid"}})");
  EXPECT_EQ(attempt(v), "") << "only a UUID is an attempt id";
  EXPECT_EQ(outcome(v), "running");
  v = add("retell", R"({"call_id": "r1", "call_status": "ended", "disconnection_reason": "user_hangup",
      "metadata": {"wfa_attempt_id": ")" +
                        id + R"("}, "call_analysis": {"custom_analysis_data": {"refused": true}}})");
  EXPECT_EQ(attempt(v), id);
  EXPECT_EQ(outcome(v), "refused");
  v = add("retell", R"({"call_id": "r2", "call_status": "ongoing"})");
  EXPECT_EQ(outcome(v), "running");
  v = add("synthflow", R"({"call_id": "s1", "status": "left_voicemail", "custom_variables": [{"key": "other",
      "value": "x"}, {"key": "wfa_attempt_id", "value": ")" +
                           id + R"("}]})");
  EXPECT_EQ(attempt(v), id);
  EXPECT_EQ(outcome(v), "voicemail");
  v = add("synthflow", R"({"call_id": "s2", "call_status": "completed", "prompt_variables": {"wfa_attempt_id": ")" +
                           id + R"("}, "collected_variables": {"not_interested": true}})");
  EXPECT_EQ(attempt(v), id);
  EXPECT_EQ(outcome(v), "refused");
  EXPECT_EQ(attempt_id_in(R"({"WFA_ATTEMPT_ID": "x"})"), std::nullopt);
  EXPECT_EQ(attempt_id_in(R"({"wfa_attempt_id": "0B6F8E2A-6C1D-4C55-9D0E-3F1A2B3C4D5E"})"), id);
}

}  // namespace
}  // namespace wfa
