// The pure rules of `wfa perm check`: access levels, grant precedence, expiry, record access.
#include <gtest/gtest.h>

#include "commands/perm/perm_engine.hpp"

using namespace wfa;

namespace {

constexpr std::int64_t now = 1'800'000'000;

UserGrants member_with(std::vector<Grant> grants) { return {true, std::move(grants)}; }

RecordAccess access(std::string source, std::string name, AccessLevel level, std::int64_t expires = 0, int rank = 0) {
  return {std::move(source), std::move(name), "", level, expires ? "2027-01-15T08:00:00Z" : "", expires, rank};
}

}  // namespace

TEST(PermLevels, ActionsMapToTheRecordAccessTheyNeed) {
  struct Case {
    const char* permission;
    AccessLevel level;
  };
  const Case cases[] = {
      {"crm:leads:read", AccessLevel::read},         {"crm:leads:create", AccessLevel::read_write},
      {"crm:leads:update", AccessLevel::read_write}, {"crm:leads:write", AccessLevel::read_write},
      {"crm:leads:delete", AccessLevel::full},       {"crm:leads:share", AccessLevel::full},
      {"crm:leads:export", AccessLevel::full},       {"crm:leads:reader", AccessLevel::full},
  };
  for (const auto& c : cases) EXPECT_EQ(required_level(c.permission), c.level) << c.permission;
  for (auto level : {AccessLevel::read, AccessLevel::read_write, AccessLevel::full})
    EXPECT_EQ(parse_level(level_name(level)), level);
  EXPECT_EQ(parse_level("admin"), AccessLevel::none);
  EXPECT_LT(AccessLevel::read, AccessLevel::read_write);
  EXPECT_LT(AccessLevel::read_write, AccessLevel::full);
}

TEST(PermDecide, NonMembersAreDeniedWhateverTheyHold) {
  UserGrants outsider{false, {{"profile", "All", "*:*:*", "", 0}}};
  auto d = decide(outsider, nullptr, "crm:leads:read", now);
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(d.reason.find("not a member"), std::string::npos);
}

TEST(PermDecide, SourcesArePreferredInOrderThenTheMostSpecificGrant) {
  auto user = member_with({{"permission_set", "Temp", "crm:leads:read", "", 0},
                           {"profile", "Sales", "crm:*:*", "", 0},
                           {"profile", "Sales", "crm:leads:*", "", 0},
                           {"role", "member", "workspace:*:read", "", 0}});
  auto d = decide(user, nullptr, "crm:leads:read", now);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.decided_by, "profile");
  EXPECT_EQ(d.grant, "crm:leads:*");
  EXPECT_EQ(decide(user, nullptr, "workspace:calls:read", now).decided_by, "role");
  EXPECT_FALSE(decide(user, nullptr, "billing:invoices:read", now).allowed);
}

TEST(PermDecide, ExpiredSetsAreIgnoredAndTheLongestLivedOneIsNamed) {
  auto user = member_with({{"permission_set", "Old", "crm:leads:read", "2020-01-01T00:00:00Z", now - 1},
                           {"permission_set", "Short", "crm:leads:read", "x", now + 10},
                           {"permission_set", "Long", "crm:leads:read", "y", now + 1000}});
  auto d = decide(user, nullptr, "crm:leads:read", now);
  EXPECT_EQ(d.source, "Long");
  EXPECT_EQ(d.expires_at, "y");
  EXPECT_FALSE(
      decide(member_with({{"permission_set", "Old", "crm:leads:read", "", now}}), nullptr, "crm:leads:read", now)
          .allowed)
      << "a grant expiring exactly now no longer counts";
}

TEST(PermDecide, MalformedGrantsAndRequestsNeverMatch) {
  auto user = member_with({{"profile", "Bad", "crm:leads", "", 0}, {"profile", "Bad", "crm::read", "", 0}});
  EXPECT_FALSE(decide(user, nullptr, "crm:leads:read", now).allowed);
  EXPECT_FALSE(decide(member_with({{"profile", "All", "*:*:*", "", 0}}), nullptr, "crm:*:read", now).allowed);
}

TEST(PermDecide, RecordAccessNeedsTheLevelOfTheAction) {
  auto user = member_with({});
  std::vector<RecordAccess> record = {access("share", "s1", AccessLevel::read),
                                      access("team_leader", "Far", AccessLevel::read_write, 0, 2),
                                      access("team_leader", "Near", AccessLevel::read_write, 0, 1)};
  auto read = decide(user, &record, "crm:leads:read", now);
  EXPECT_EQ(read.decided_by, "team_leader");
  EXPECT_EQ(read.source, "Near");
  EXPECT_EQ(read.grant, "read_write");
  auto del = decide(user, &record, "crm:leads:delete", now);
  EXPECT_FALSE(del.allowed);
  EXPECT_NE(del.reason.find("full"), std::string::npos) << del.reason;

  record.push_back(access("owner", "carol@acme.test", AccessLevel::full));
  EXPECT_EQ(decide(user, &record, "crm:leads:read", now).decided_by, "owner");
  EXPECT_TRUE(decide(user, &record, "crm:leads:delete", now).allowed);
}

TEST(PermDecide, ExpiredSharesAreIgnored) {
  auto user = member_with({});
  std::vector<RecordAccess> record = {access("share", "old", AccessLevel::full, now - 5),
                                      access("share", "new", AccessLevel::read, now + 5)};
  EXPECT_FALSE(decide(user, &record, "crm:leads:delete", now).allowed);
  auto read = decide(user, &record, "crm:leads:read", now);
  EXPECT_EQ(read.source, "new");
  EXPECT_EQ(read.expires_at, "2027-01-15T08:00:00Z");
}
