#pragma once
/// What `wfa telegram sync-admins` and serve's processing of chat_member updates share: a linked group, and one admin's
/// standing turned into a workspace membership by the documented mapping (wfa-telegram(1)).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "commands/member/member_scope.hpp"
#include "commands/telegram/telegram_file.hpp"
#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"

namespace wfa {

/// LinkedGroup is a group row (locked) and the workspace it syncs into.
struct LinkedGroup {
  std::string id;
  Scope scope;
  bool created = false;
};

/// find_linked_group finds the group of CHAT_ID by its route (locked); nothing when no workspace links it.
std::optional<LinkedGroup> find_linked_group(pqxx::dbtransaction& tx, std::int64_t chat_id);

/// admins_json snapshots the group's admin rows for the audit log.
std::string admins_json(pqxx::transaction_base& tx, const std::string& group_id);

/// GroupAdminSync applies admins' standings to one group in TX; counts and rows say what changed. REPORTED_AT (Unix
/// seconds; default now) is when Telegram reported a standing: a report older than the stored one changes nothing.
class GroupAdminSync {
 public:
  GroupAdminSync(pqxx::dbtransaction& tx, const LinkedGroup& group, std::string actor, std::string metadata);
  ~GroupAdminSync();
  /// admin records A as creator or administrator and adds or promotes the matched user's membership.
  void admin(const TelegramAdmin& a, std::optional<std::int64_t> reported_at = std::nullopt);
  /// former records telegram user TID as no longer an admin and demotes the matched user to member (never the last
  /// owner).
  void former(std::int64_t tid, std::optional<std::int64_t> reported_at = std::nullopt);
  /// stale is true when the stored standing of TID was reported after REPORTED_AT.
  bool stale(std::int64_t tid, std::int64_t reported_at);
  std::map<std::string, int>& counts();
  Table& rows();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wfa
