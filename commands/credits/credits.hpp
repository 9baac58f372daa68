#pragma once
/// `wfa credits`: prepaid credit of a partner or a workspace. Every change is a row of an append-only ledger
/// (workspace_credits, billing_credits) and the balance moves only with it; calls draw a workspace's credit down
/// through the same ledger. Amounts are typed in major units and kept in cents.
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

struct CreditsShowOptions {
  std::string subject;  ///< a workspace (id or PARTNER/SLUG) or a partner (id or slug)
};

struct CreditsChangeOptions {
  std::string subject;
  std::string amount;               ///< major units; adjust takes a sign
  std::optional<std::string> key;   ///< idempotency key: a retried change with the same key is one row
  std::optional<std::string> note;  ///< why (required for adjust)
  std::optional<std::string> reference;
  bool dry_run = false;
};

struct CreditsLedgerOptions {
  std::string subject;
  std::optional<std::string> reason;
  Paging paging;
};

struct CreditsPolicyOptions {
  std::string subject;
  std::optional<std::string> low_balance;  ///< major units, or "none"
  std::optional<std::string> at_zero;      ///< allow_overage | suspend_agents (partners)
  bool dry_run = false;
};

Result run_credits_show(const CreditsShowOptions& options, Session& session);
/// run_credits_topup adds a positive amount (reason topup); the same key again is the same top-up, a different amount
/// under it is a conflict.
Result run_credits_topup(const CreditsChangeOptions& options, Session& session);
/// run_credits_adjust adds a signed correction (reason adjustment) with the note saying why.
Result run_credits_adjust(const CreditsChangeOptions& options, Session& session);
Result run_credits_ledger(const CreditsLedgerOptions& options, Session& session);
/// run_credits_policy sets the low-balance threshold (a workspace's overrides its partner's) and, for a partner, what
/// happens at zero.
Result run_credits_policy(const CreditsPolicyOptions& options, Session& session);

}  // namespace wfa
