// The SQL a list page runs, and the pieces its cursor is made of.
#include <gtest/gtest.h>

#include <sstream>

#include "core/base64url.hpp"
#include "core/listing.hpp"
#include "core/result.hpp"

using namespace wfa;

namespace {

ListQuery workspaces() {
  ListQuery q("workspace list", "workspaces");
  q.select("w.slug").from("workspaces w JOIN partners p ON p.id = w.partner_id");
  q.order_by({{"p.slug", "text"}, {"w.slug", "text"}});
  return q;
}

/// FixedRows streams a given set of batches, as a server-side cursor would.
struct FixedRows : RowStream {
  std::vector<std::vector<Row>> batches;
  std::size_t next_batch = 0;
  bool next(std::vector<Row>& batch) override {
    batch.clear();
    if (next_batch == batches.size()) return false;
    batch = batches[next_batch++];
    return true;
  }
  std::string next_cursor() const override { return "CUR"; }
};

}  // namespace

TEST(ListQuery, FiltersOnlyWhenSetAndNoOffsetOrWindowCount) {
  auto q = workspaces();
  q.where("w.partner_id = ?::uuid", std::nullopt).where("w.deleted_at IS NULL");
  std::vector<std::optional<std::string>> params;
  auto sql = q.sql(nullptr, 100, params);
  EXPECT_EQ(sql,
            "SELECT w.slug, p.slug AS _k0, w.slug AS _k1 FROM workspaces w JOIN partners p ON p.id = w.partner_id"
            " WHERE (w.deleted_at IS NULL) ORDER BY p.slug, w.slug LIMIT 101");
  EXPECT_TRUE(params.empty());
  EXPECT_EQ(sql.find("OFFSET"), std::string::npos);
  EXPECT_EQ(sql.find("OVER"), std::string::npos);
}

TEST(ListQuery, KeysetOfOneDirectionIsARowComparisonWithTheLeadingBound) {
  auto q = workspaces();
  q.where("w.partner_id = ?::uuid", "p-1");
  std::vector<std::optional<std::string>> params;
  std::vector<std::string> after = {"acme", "main"};
  auto sql = q.sql(&after, 0, params);
  EXPECT_NE(sql.find("WHERE (w.partner_id = $1::uuid) AND (ROW(p.slug, w.slug) > ROW($2::text, $3::text)) AND "
                     "(p.slug >= $2::text)"),
            std::string::npos)
      << sql;
  EXPECT_EQ(sql.find("LIMIT"), std::string::npos) << "--all has no limit";
  ASSERT_EQ(params.size(), 3u);
  EXPECT_EQ(*params[2], "main");
}

TEST(ListQuery, MixedDirectionsExpandToOrTerms) {
  ListQuery q("member list", "members");
  q.select("m.id").from("members m").order_by({{"m.rank", "integer", true}, {"m.email", "text"}});
  std::vector<std::optional<std::string>> params;
  std::vector<std::string> after = {"30", "a@x"};
  auto sql = q.sql(&after, 10, params);
  EXPECT_NE(sql.find("(m.rank < $1::integer) OR (m.rank = $1::integer AND m.email > $2::text)"), std::string::npos)
      << sql;
  EXPECT_NE(sql.find("ORDER BY m.rank DESC, m.email LIMIT 11"), std::string::npos) << sql;
}

TEST(ListQuery, IdentityChangesWithEveryFilterValue) {
  auto a = workspaces(), b = workspaces(), c = workspaces();
  a.where("w.partner_id = ?::uuid", "one");
  b.where("w.partner_id = ?::uuid", "two");
  c.where("w.partner_id = ?::uuid", "one");
  EXPECT_NE(a.identity(), b.identity());
  EXPECT_EQ(a.identity(), c.identity());
}

TEST(Base64url, RoundTripsAndRefusesOtherText) {
  for (const std::string& bytes :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\xfe", 3)}) {
    auto text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos) << text;
    EXPECT_EQ(base64url_decode(text), bytes) << text;
  }
  EXPECT_FALSE(base64url_decode("a"));
  EXPECT_FALSE(base64url_decode("ab+c"));
  EXPECT_FALSE(base64url_decode("!!!!"));
}

TEST(StreamedJson, WritesEveryBatchAndTheNextCursorAfterTheArray) {
  Result r;
  Table t;
  t.name = "items";
  t.columns = {"n"};
  t.rows = {{Cell(1)}};
  auto more = std::make_shared<FixedRows>();
  more->batches = {{{Cell(2)}, {Cell(3)}}, {{Cell(4)}}};
  t.more = more;
  r.tables.push_back(t);
  std::ostringstream out;
  write_json(r, 1, out);
  EXPECT_EQ(out.str(),
            "{\n  \"schema_version\": 1,\n  \"items\": [\n    {\n      \"n\": 1\n    },\n    {\n      \"n\": 2\n    },"
            "\n    {\n      \"n\": 3\n    },\n    {\n      \"n\": 4\n    }\n  ],\n  \"next_cursor\": \"CUR\"\n}\n");
}

TEST(StreamedJson, AFailedOutputStopsPullingRows) {
  Table t;
  t.columns = {"n"};
  auto more = std::make_shared<FixedRows>();
  more->batches = {{{Cell(1)}}, {{Cell(2)}}, {{Cell(3)}}};
  t.more = more;
  std::ostringstream out;
  out.setstate(std::ios::badbit);
  int seen = 0;
  each_row(t, out, [&](const Row&) { ++seen; });
  EXPECT_EQ(seen, 0);
  EXPECT_EQ(more->next_batch, 0u) << "nothing was fetched for a reader that is gone";
}
