// `wfa export usage|invoices`: the closed months of `usage report` and the invoices of partners and workspaces.
#include <pqxx/transaction>

#include "commands/billing/billing.hpp"
#include "commands/billing/billing_rules.hpp"
#include "commands/export/export.hpp"
#include "commands/export/export_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_export_usage(const ExportUsageOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  ListQuery rows("export usage", "periods");
  rows.from("usage_periods u JOIN workspaces w ON w.id = u.workspace_id JOIN partners p ON p.id = w.partner_id");
  if (o.workspace)
    rows.where("u.workspace_id = ?::uuid", workspace_for(*tx, session, *o.workspace, "workspace:billing:read").id);
  if (o.partner) rows.where("w.partner_id = ?::uuid", partner_for(*tx, session, *o.partner, "partner:billing:read").id);
  if (!o.partner && !o.workspace) only_visible_workspaces(*tx, session, rows, "u.workspace_id");
  // A month is in the window when any of it is.
  auto window = export_window(*tx, session, o);
  rows.where("u.period + interval '1 month' > ?::timestamptz", window.since)
      .where("u.period < ?::timestamptz", window.until)
      .order_by({{"u.period", "date"}, {"u.workspace_id", "uuid"}});
  std::vector<ExportColumn> columns = {{"period", "u.period", ExportKind::date},
                                       {"partner", "p.slug"},
                                       {"workspace", "p.slug || '/' || w.slug"},
                                       {"minutes", "u.minutes", ExportKind::integer},
                                       {"included_minutes", "u.included_minutes", ExportKind::integer},
                                       {"overage_minutes", "u.overage_minutes", ExportKind::integer},
                                       {"calls", "u.calls", ExportKind::integer},
                                       {"cost_usd", "u.cost_micros", ExportKind::money, "6", 4},
                                       {"credits_used", "u.charged_cents", ExportKind::money, "2"},
                                       {"closed_at", "u.reset_at", ExportKind::time}};
  return run_export(
      tx, {"month", "months", "Usage", std::move(columns), std::move(rows), "usage", {{"partner", o.partner}}}, target,
      o, session);
}

Result run_export_invoices(const ExportInvoicesOptions& o, Session& session) {
  auto target = export_target(o, session);
  auto tx = export_transaction(session);
  ListQuery rows("export invoices", "invoices");
  rows.from(
      "invoices i JOIN partners p ON p.id = i.partner_id LEFT JOIN workspaces w ON i.subject_type = 'workspace' AND"
      " w.id = i.subject_id LEFT JOIN currencies cur ON cur.code = i.currency");
  if (o.partner) rows.where("i.partner_id = ?::uuid", partner_for(*tx, session, *o.partner, "partner:billing:read").id);
  if (o.workspace) {
    BillingSubjectOptions subject;
    subject.workspace = o.workspace;
    rows.where("i.subject_type = 'workspace' AND i.subject_id = ?::uuid",
               billing_subject(*tx, session, subject, "partner:billing:read").id);
  }
  if (!o.partner && !o.workspace)
    require_super_admin(actor_of(*tx, session), "export every partner's invoices (give " + session.option("partner") +
                                                    " or " + session.option("workspace") + ")");
  within(rows, export_window(*tx, session, o), "i.created_at");
  rows.order_by({{"i.created_at", "timestamptz"}, {"i.id", "uuid"}});
  const std::string exponent = "COALESCE(cur.exponent, 2)";
  auto money = [&exponent](const char* name, const char* sql) {
    return ExportColumn{name, sql, ExportKind::money, exponent};
  };
  std::vector<ExportColumn> columns = {
      {"id", "i.id", ExportKind::uuid},
      {"number", "i.number"},
      {"source", "i.source"},
      {"status", "i.status"},
      {"subject_type", "i.subject_type"},
      {"subject", "CASE WHEN w.id IS NULL THEN p.slug ELSE p.slug || '/' || w.slug END"},
      {"currency", "i.currency"},
      money("subtotal", "i.subtotal"),
      money("tax", "i.tax"),
      money("total", "i.total"),
      money("amount_paid", "i.amount_paid"),
      money("amount_due", "i.amount_due"),
      {"period_start", "i.period_start", ExportKind::time},
      {"period_end", "i.period_end", ExportKind::time},
      {"issued_at", "i.issued_at", ExportKind::time},
      {"paid_at", "i.paid_at", ExportKind::time},
      {"voided_at", "i.voided_at", ExportKind::time},
      {"payment_failures", "i.payment_failures", ExportKind::integer},
      {"stripe_invoice_id", "i.stripe_invoice_id"},
      {"hosted_invoice_url", "i.hosted_invoice_url", ExportKind::text},
      {"created_at", "i.created_at", ExportKind::time}};
  return run_export(
      tx,
      {"invoice", "invoices", "Invoices", std::move(columns), std::move(rows), "invoices", {{"partner", o.partner}}},
      target, o, session);
}

}  // namespace wfa
