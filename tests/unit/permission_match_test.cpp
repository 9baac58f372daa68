#include "commands/tenancy/permission_match.hpp"

#include <gtest/gtest.h>

using namespace wfa;

TEST(PermissionMatch, TableOfGrantsAndRequests) {
  struct Case {
    const char* grant;
    const char* requested;
    bool matches;
  };
  const Case cases[] = {
      {"sales:leads:read", "sales:leads:read", true},
      {"sales:leads:read", "sales:leads:write", false},
      {"sales:*:*", "sales:leads:delete", true},
      {"sales:*:*", "support:tickets:read", false},
      {"*:*:*", "any:thing:goes", true},
      {"*:leads:read", "crm:leads:read", true},
      {"*:leads:read", "crm:leads:write", false},
      {"sales:*:read", "sales:quotes:read", true},
      {"sales:leads:*", "sales:leads:export_csv", true},
      {"sales:leads:*", "sales:lead:read", false},
      // Malformed grants never match.
      {"sales:leads", "sales:leads:read", false},
      {"sales:leads:read:extra", "sales:leads:read", false},
      {"sales::read", "sales::read", false},
      {"Sales:leads:read", "sales:leads:read", false},
      {"sales:lead*:read", "sales:leads:read", false},
      {"", "sales:leads:read", false},
      {"*", "sales:leads:read", false},
      {"sales:leads:read ", "sales:leads:read", false},
      // Requests must be concrete and well formed.
      {"*:*:*", "sales:*:read", false},
      {"*:*:*", "sales:leads", false},
      {"*:*:*", "", false},
      {"*:*:*", "1sales:leads:read", false},
  };
  for (const auto& c : cases)
    EXPECT_EQ(grant_matches(c.grant, c.requested), c.matches) << c.grant << " vs " << c.requested;
}

TEST(PermissionMatch, WellFormedness) {
  EXPECT_TRUE(is_well_formed_permission("sales:leads:read", false));
  EXPECT_FALSE(is_well_formed_permission("sales:*:read", false));
  EXPECT_TRUE(is_well_formed_permission("sales:*:read", true));
  EXPECT_TRUE(is_well_formed_permission("a_1:b:c", false));
  EXPECT_FALSE(is_well_formed_permission("a-1:b:c", true));
  EXPECT_FALSE(is_well_formed_permission(":b:c", true));
  EXPECT_FALSE(is_well_formed_permission("a:b:", true));
}
