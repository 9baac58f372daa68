#pragma once
/// What the credit verbs and the calls' merge share: whose credit a reference names, a ledger row, and acting once on
/// each crossing of a workspace's balance (under its threshold: a notice; to zero: the partner's policy).
#include <cstdint>
#include <optional>
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// CreditSubject is a workspace or a partner whose credit a verb works on.
struct CreditSubject {
  bool workspace = false;
  std::string id, partner_id;
  std::string reference;  ///< what users type: SLUG or PARTNER/SLUG
  const char* ledger() const { return workspace ? "workspace_credits" : "billing_credits"; }
  const char* key_column() const { return workspace ? "workspace_id" : "partner_id"; }
  const char* owner_table() const { return workspace ? "workspaces" : "partners"; }
  std::string describe() const { return std::string(workspace ? "workspace " : "partner ") + reference; }
};

/// find_credit_subject reads REFERENCE as a workspace (PARTNER/SLUG or a workspace id) or else a partner (slug or
/// id); unknown is NotFoundError (3).
CreditSubject find_credit_subject(pqxx::transaction_base& tx, const std::string& reference);

/// signed_amount prints cents with a sign and two decimals: -1234 → "-12.34".
std::string signed_amount(std::int64_t cents);

/// settle_credit_states brings credit_state of the workspaces in WORKSPACE_IDS (comma-separated ids) up to date and
/// acts once on each crossing: agents stopped when a partner's policy is suspend_agents and the balance reaches zero,
/// restarted when it is back above; a notice queued to the workspace's Telegram groups (through its partner's bot)
/// when it falls to low or exhausted; each crossing audited. Answers how many workspaces crossed.
std::int64_t settle_credit_states(pqxx::transaction_base& tx, const std::string& workspace_ids,
                                  const std::string& actor);

}  // namespace wfa
