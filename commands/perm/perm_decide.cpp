// The pure half of the check engine: access levels and the decision rules.
#include <algorithm>
#include <tuple>

#include "commands/perm/perm_decide.hpp"
#include "commands/tenancy/permission_match.hpp"

namespace wfa {

namespace {

int source_order(const std::string& source) {
  static const char* const order[] = {"role",  "partner_role", "profile", "permission_set",
                                      "owner", "team_leader",  "share"};
  for (int i = 0; i < 7; ++i)
    if (source == order[i]) return i;
  return 7;
}

int wildcards(const std::string& permission) {
  return static_cast<int>(std::count(permission.begin(), permission.end(), '*'));
}

bool live(std::int64_t expires_epoch, std::int64_t now_epoch) {
  return expires_epoch == 0 || expires_epoch > now_epoch;
}

/// expiry_order puts grants that never expire first, then the ones that last longest.
std::int64_t expiry_order(std::int64_t expires_epoch) { return expires_epoch == 0 ? INT64_MIN : -expires_epoch; }

std::string until(const std::string& expires_at) { return expires_at.empty() ? "" : " (expires " + expires_at + ")"; }

std::string describe(const Grant& g) {
  if (g.source == "role") return "workspace role " + g.name + " grants " + g.permission;
  if (g.source == "partner_role") return "partner role " + g.name + " grants " + g.permission;
  if (g.source == "profile") return "profile " + g.name + " grants " + g.permission;
  return "permission set " + g.name + " grants " + g.permission + until(g.expires_at);
}

std::string describe(const RecordAccess& a) {
  if (a.source == "owner") return "owner of the record";
  if (a.source == "team_leader")
    return "team leadership of " + a.name +
           (a.via.empty() ? "" : " (the record's owner " + a.via + " is in it or below it)");
  return "share " + a.name + (a.via.empty() ? "" : " to team " + a.via) + " gives " + std::string(level_name(a.level)) +
         until(a.expires_at);
}

}  // namespace

AccessLevel required_level(std::string_view permission) {
  auto colon = permission.rfind(':');
  auto action = colon == std::string_view::npos ? permission : permission.substr(colon + 1);
  if (action == "read") return AccessLevel::read;
  if (action == "create" || action == "update" || action == "write") return AccessLevel::read_write;
  return AccessLevel::full;
}

std::string_view level_name(AccessLevel level) {
  switch (level) {
    case AccessLevel::read:
      return "read";
    case AccessLevel::read_write:
      return "read_write";
    case AccessLevel::full:
      return "full";
    case AccessLevel::none:
      break;
  }
  return "none";
}

AccessLevel parse_level(std::string_view text) {
  if (text == "read") return AccessLevel::read;
  if (text == "read_write") return AccessLevel::read_write;
  if (text == "full") return AccessLevel::full;
  return AccessLevel::none;
}

namespace {

/// reaches: a grant made in the workspace (role, profile, permission set) never gives partner: or platform:
/// permissions, whatever its wildcards say; only a partner role does, and platform: only super admins hold.
bool reaches(std::string_view source, std::string_view permission) {
  auto module = permission.substr(0, permission.find(':'));
  if (module == "platform") return false;
  return module != "partner" || source == "partner_role";
}

}  // namespace

Decision decide(const UserGrants& user, const std::vector<RecordAccess>* record, std::string_view permission,
                std::int64_t now_epoch) {
  Decision d;
  if (!user.member) {
    d.reason = "not a member of the workspace or its partner";
    return d;
  }
  const Grant* best = nullptr;
  auto key = [](const Grant& g) {
    return std::make_tuple(source_order(g.source), wildcards(g.permission), expiry_order(g.expires_epoch), g.name,
                           g.permission);
  };
  for (const auto& g : user.grants)
    if (live(g.expires_epoch, now_epoch) && grant_matches(g.permission, permission) && reaches(g.source, permission) &&
        (!best || key(g) < key(*best)))
      best = &g;
  if (best) return {true, best->source, best->name, best->permission, best->expires_at, describe(*best)};

  d.reason = "no grant matches " + std::string(permission);
  if (!record) return d;
  auto need = required_level(permission);
  const RecordAccess* access = nullptr;
  auto akey = [](const RecordAccess& a) {
    return std::make_tuple(source_order(a.source), a.rank, expiry_order(a.expires_epoch), a.name);
  };
  for (const auto& a : *record)
    if (live(a.expires_epoch, now_epoch) && a.level >= need && (!access || akey(a) < akey(*access))) access = &a;
  if (access)
    return {true,
            access->source,
            access->name,
            std::string(level_name(access->level)),
            access->expires_at,
            describe(*access)};
  d.reason += " and no access to the record reaches " + std::string(level_name(need));
  const RecordAccess* weaker = nullptr;
  for (const auto& a : *record)
    if (live(a.expires_epoch, now_epoch) && (!weaker || a.level > weaker->level)) weaker = &a;
  if (weaker) d.reason += " (" + describe(*weaker) + ")";
  return d;
}

}  // namespace wfa
