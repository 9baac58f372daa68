// URL encodings and UTC text: escaping, form decoding that refuses broken escapes, one query field.
#include <gtest/gtest.h>

#include "core/url_encoding.hpp"

namespace wfa {
namespace {

TEST(UrlEncoding, EscapesAndDecodesBackToTheSameBytes) {
  EXPECT_EQ(url_escape("2026-11-03T10:00:00.250Z"), "2026-11-03T10%3A00%3A00.250Z");
  EXPECT_EQ(url_escape("a b/é"), "a%20b%2F%C3%A9");
  EXPECT_EQ(form_decode(url_escape("a b/é&x=1")), "a b/é&x=1");
  EXPECT_EQ(form_decode("a+b%2f"), "a b/");
  EXPECT_EQ(form_decode("%7"), std::nullopt);
  EXPECT_EQ(form_decode("%zz"), std::nullopt);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
}

TEST(UrlEncoding, QueryFieldFindsOneNameExactly) {
  EXPECT_EQ(query_field("workspace=acme%2Fmain&x=1", "workspace"), "acme/main");
  EXPECT_EQ(query_field("workspaces=a&workspace=b", "workspace"), "b");
  EXPECT_EQ(query_field("flag&x=1", "flag"), "");
  EXPECT_EQ(query_field("x=1", "workspace"), std::nullopt);
  EXPECT_EQ(query_field("workspace=%2", "workspace"), std::nullopt);
}

}  // namespace
}  // namespace wfa
