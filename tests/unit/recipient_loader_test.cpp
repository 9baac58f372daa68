// The import engine without a database: batches, de-duplication, reject policy, reject file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "pipelines/recipient_loader.hpp"

using namespace wfa;

namespace {

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content = "") {
    char name[] = "/tmp/wfa-loader-test-XXXXXX";
    int fd = mkstemp(name);
    ::close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << content;
  }
  ~TempFile() { std::remove(path.c_str()); }
  std::string text() const {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
};

struct Loaded {
  LoadSummary summary;
  std::vector<std::string> phones;
  std::vector<std::string> variables;
};

Loaded load(const std::string& csv, LoadOptions options, PhoneSet& seen, RejectWriter* rejects = nullptr,
            const std::string& reject_path = "") {
  TempFile file(csv);
  CsvReader reader(file.path);
  CsvRecord header;
  EXPECT_TRUE(reader.next(header));
  RecipientRowBuilder builder(map_columns(header.fields, {{}, {}, "t.csv", "--map", "--skip"}), PhoneReader("AE"),
                              {"Asia/Dubai", "UTC"});
  std::optional<RejectWriter> writer;
  if (!reject_path.empty()) writer.emplace(reject_path, reader.delimiter(), header.raw);
  Loaded out;
  out.summary = load_recipients(reader, builder, seen, writer ? &*writer : rejects, options,
                                [&](const RecipientBatch& b) {
                                  for (std::size_t i = 0; i < b.rows.size(); ++i) {
                                    out.phones.emplace_back(b.value(i, 0));
                                    out.variables.emplace_back(b.value(i, 6));
                                  }
                                },
                                {});
  if (writer) writer->close();
  return out;
}

std::string many_rows(int n) {
  std::string csv = "phone,plan\n";
  for (int i = 0; i < n; ++i) csv += "05" + std::to_string(10000000 + i) + ",p" + std::to_string(i % 3) + "\n";
  return csv;
}

}  // namespace

TEST(RecipientLoader, StreamsEveryRowThroughSmallBatchesInOrder) {
  PhoneSet seen;
  LoadOptions o;
  o.batch_rows = 7;
  auto r = load(many_rows(1000), o, seen);
  EXPECT_EQ(r.summary.read, 1000u);
  EXPECT_EQ(r.summary.accepted, 1000u);
  ASSERT_EQ(r.phones.size(), 1000u);
  EXPECT_EQ(r.phones[0], "+971510000000");
  EXPECT_EQ(r.phones[999], "+971510000999");
  EXPECT_EQ(r.variables[1], R"({"plan":"p1"})");
}

TEST(RecipientLoader, DuplicatesInTheFileAndAlreadyPresentAreSkipped) {
  PhoneSet seen;
  seen.insert(phone_key("+971500000001"), PhoneSet::existing_line);
  TempFile rejects;
  auto r = load("phone,name\n+971500000001,A\n050 000 0002,B\n+971500000002,C\n", {}, seen, nullptr, rejects.path);
  EXPECT_EQ(r.summary.duplicates, 2u);
  EXPECT_EQ(r.summary.rejected, 0u);
  EXPECT_EQ(r.phones, (std::vector<std::string>{"+971500000002"}));
  EXPECT_EQ(rejects.text(),
            "line,reason,phone,name\r\n2,duplicate: phone already in the campaign,+971500000001,A\r\n"
            "4,duplicate: same phone as line 3,+971500000002,C\r\n");
}

TEST(RecipientLoader, AllOrNothingStopsFeedingTheSinkAfterAReject) {
  PhoneSet seen;
  LoadOptions o;
  o.keep_after_reject = false;
  o.batch_rows = 2;
  auto r = load("phone\n+971500000001\nnope\n+971500000003\n+971500000004\n", o, seen);
  EXPECT_EQ(r.summary.rejected, 1u);
  EXPECT_EQ(r.summary.valid, 3u) << "rows after the reject are still checked";
  EXPECT_EQ(r.phones.size(), 1u);
  ASSERT_EQ(r.summary.samples.size(), 1u);
  EXPECT_EQ(r.summary.samples[0], "line 3: phone 'nope' contains letters");
}

TEST(RecipientLoader, MaxRejectsStopsReading) {
  PhoneSet seen;
  LoadOptions o;
  o.max_rejects = 1;
  auto r = load("phone\nx\ny\n+971500000003\n", o, seen);
  EXPECT_TRUE(r.summary.stopped);
  EXPECT_EQ(r.summary.read, 2u);
  EXPECT_EQ(r.summary.rejected, 2u);
}

TEST(RecipientLoader, SinkErrorsEndTheRunAndReachTheCaller) {
  TempFile file(many_rows(50000));
  CsvReader reader(file.path);
  CsvRecord header;
  ASSERT_TRUE(reader.next(header));
  RecipientRowBuilder builder(map_columns(header.fields, {{}, {}, "t.csv", "--map", "--skip"}), PhoneReader("AE"), {});
  PhoneSet seen;
  LoadOptions o;
  o.batch_rows = 100;
  int batches = 0;
  EXPECT_THROW(load_recipients(reader, builder, seen, nullptr, o,
                               [&](const RecipientBatch&) {
                                 if (++batches == 3) throw std::runtime_error("COPY failed");
                               },
                               {}),
               std::runtime_error);
  EXPECT_EQ(batches, 3);
}
