#pragma once
/// `wfa billing`: subscriptions of partners and workspaces to catalogue plans, Stripe Checkout for a partner, and
/// Stripe's events applied exactly once (payment_events). wfa-billing(1) has the rules (trial, proration, ordering).
#include <cstdint>
#include <optional>
#include <string>

#include "core/listing.hpp"
#include "core/result.hpp"

namespace wfa {

class Session;

/// BillingSubjectOptions names whose subscription: a partner (id or slug), or with workspace a workspace
/// (PARTNER/SLUG or id).
struct BillingSubjectOptions {
  std::string partner;
  std::optional<std::string> workspace;
};

struct SubscriptionShowOptions : BillingSubjectOptions {};

struct SubscriptionSetOptions : BillingSubjectOptions {
  std::string plan;
  std::optional<std::int64_t> trial_days;  ///< a new subscription starts trialing for this many days
  bool dry_run = false;
};

struct SubscriptionCancelOptions : BillingSubjectOptions {
  bool now = false;  ///< end it at once instead of at the end of the period
  bool yes = false;
  bool dry_run = false;
};

struct SubscriptionResumeOptions : BillingSubjectOptions {
  bool dry_run = false;
};

struct BillingCheckoutOptions {
  std::string partner;
  std::string plan;
  std::optional<std::string> success_url, cancel_url;
  std::optional<std::string> idempotency_key;  ///< default: derived from partner, plan and the UTC day
};

struct BillingEventsApplyOptions {
  std::string file;
  bool dry_run = false;
};

struct BillingEventsListOptions {
  std::optional<std::string> type;
  std::optional<std::string> outcome;  ///< applied | stale | recorded | ignored | failed
  Paging paging;
};

struct InvoiceRunOptions {
  std::optional<std::string> period;   ///< YYYY-MM; default the month before this one
  std::optional<std::string> partner;  ///< only this partner's workspaces
  bool dry_run = false;
};

struct InvoiceListOptions {
  std::optional<std::string> partner, workspace;
  std::optional<std::string> status;  ///< draft | open | paid | void | uncollectible
  std::optional<std::string> period;  ///< YYYY-MM: invoices whose period starts in that month
  Paging paging;
};

/// invoice is an invoice's id or number.
struct InvoiceShowOptions {
  std::string invoice;
};

struct InvoicePdfOptions {
  std::string invoice;
  std::string out;
  std::string layout = "standard";  ///< templates/invoice/NAME.json, or a path to a layout file
};

struct InvoiceVoidOptions {
  std::string invoice;
  std::optional<std::string> reason;
  bool yes = false;
  bool dry_run = false;
};

Result run_billing_subscription_show(const SubscriptionShowOptions& options, Session& session);
/// run_billing_subscription_set puts the subject on a plan (a new subscription, or a plan change with the proration
/// wfa-billing(1) describes); a partner's plan_tier, features and limits follow.
Result run_billing_subscription_set(const SubscriptionSetOptions& options, Session& session);
/// run_billing_subscription_cancel cancels at the end of the period, or at once with now.
Result run_billing_subscription_cancel(const SubscriptionCancelOptions& options, Session& session);
/// run_billing_subscription_resume undoes a cancel at period end, or a pause.
Result run_billing_subscription_resume(const SubscriptionResumeOptions& options, Session& session);
/// run_billing_checkout creates a Stripe Checkout session for a partner and plan (with an Idempotency-Key) and
/// returns its URL.
Result run_billing_checkout(const BillingCheckoutOptions& options, Session& session);
/// run_billing_events_apply applies a captured Stripe event through the path serve uses; once per event id.
Result run_billing_events_apply(const BillingEventsApplyOptions& options, Session& session);
Result run_billing_events_list(const BillingEventsListOptions& options, Session& session);
/// run_billing_invoice_run invoices every billable workspace's closed month (usage_periods) once; each workspace in
/// its own transaction, the run under a lock (exit 9), so a killed run is finished by the next.
Result run_billing_invoice_run(const InvoiceRunOptions& options, Session& session);
Result run_billing_invoice_list(const InvoiceListOptions& options, Session& session);
Result run_billing_invoice_show(const InvoiceShowOptions& options, Session& session);
/// run_billing_invoice_pdf draws the invoice with a layout of templates/invoice/ and writes it atomically to OUT.
Result run_billing_invoice_pdf(const InvoicePdfOptions& options, Session& session);
/// run_billing_invoice_void voids an open usage invoice (Stripe's are voided at Stripe).
Result run_billing_invoice_void(const InvoiceVoidOptions& options, Session& session);

}  // namespace wfa
