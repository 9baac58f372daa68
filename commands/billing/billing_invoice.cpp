// `wfa billing invoice run|list|show|pdf|void`: wfa's own usage invoices, one per workspace and closed month.
#include <filesystem>
#include <map>

#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/billing/billing.hpp"
#include "commands/billing/billing_rules.hpp"
#include "commands/partner/partner_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/usage/usage.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/file_store.hpp"
#include "core/paths.hpp"
#include "core/rows.hpp"
#include "core/run_lock.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"
#include "pipelines/invoice_render.hpp"
#include "pipelines/money.hpp"
#include "pipelines/usage_invoice.hpp"

namespace fs = std::filesystem;

namespace wfa {

namespace {

/// InvoiceRow is what the verbs need to find an invoice and check the right to it.
struct InvoiceRow {
  std::string id, number, source, subject_type, subject_id, partner_id, status;
};

InvoiceRow find_invoice(pqxx::transaction_base& tx, const std::string& reference, bool lock) {
  auto rows = tx.exec_params(
      std::string("SELECT id, coalesce(number, ''), source, subject_type, subject_id, partner_id, status FROM invoices"
                  " WHERE ") +
          (is_uuid(reference) ? "id = $1::uuid" : "number = $1") + (lock ? " FOR UPDATE" : ""),
      reference);
  if (rows.empty())
    throw NotFoundError("invoice " + reference + " not found", "`wfa billing invoice list` shows invoices");
  const auto& r = rows[0];
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
          r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::string>()};
}

/// authorize_invoice requires ACTION (read or update) on billing of the invoice's subject: its workspace, or its
/// partner.
void authorize_invoice(pqxx::transaction_base& tx, Session& session, const InvoiceRow& invoice,
                       const std::string& action) {
  if (invoice.subject_type == "workspace" && action == "read")
    workspace_for(tx, session, invoice.subject_id, "workspace:billing:read", true);
  else
    partner_for(tx, session, invoice.partner_id, "partner:billing:" + action, true);
}

BillingFields invoice_fields(pqxx::transaction_base& tx, const std::string& id) {
  return to_fields(tx.exec_params(
      "SELECT i.id, i.number, i.source, i.status, i.subject_type, CASE i.subject_type WHEN 'workspace' THEN p.slug ||"
      " '/' || w.slug ELSE p.slug END AS subject, i.currency, i.subtotal, i.credits_applied, i.tax, i.tax_bp, i.total,"
      " i.amount_paid, i.amount_due, to_char(i.period_start AT TIME ZONE 'UTC', 'YYYY-MM') AS period, " +
          utc_sql("i.period_start") + " AS period_start, " + utc_sql("i.period_end") + " AS period_end, " +
          utc_sql("i.issued_at") + " AS issued_at, " + utc_sql("i.paid_at") + " AS paid_at, " + utc_sql("i.voided_at") +
          " AS voided_at, i.void_reason, i.hosted_invoice_url, i.created_by FROM invoices i JOIN partners p ON"
          " p.id = i.partner_id LEFT JOIN workspaces w ON i.subject_type = 'workspace' AND w.id = i.subject_id WHERE"
          " i.id = $1::uuid",
      id));
}

Table invoice_lines(pqxx::transaction_base& tx, const std::string& id) {
  return to_table(tx.exec_params("SELECT position, description, quantity, unit_amount, amount FROM invoice_lines WHERE"
                                 " invoice_id = $1::uuid ORDER BY position",
                                 id),
                  "lines");
}

/// RunCounts is one run's tally: invoices written, found written, minutes, and totals by currency.
struct RunCounts {
  std::int64_t created = 0, already = 0, minutes = 0;
  std::map<std::string, std::int64_t> totals;  ///< by currency
};

/// invoice_workspace writes the invoice of workspace WS's PERIOD in TX, or nothing when it has one already; the new
/// invoice's row for the run's table, or an empty row.
Row invoice_workspace(pqxx::work& tx, const std::string& ws, const std::string& period, const std::string& actor) {
  // The closed month's row is locked first: two runs past each other's lock still write one invoice.
  auto month = tx.exec_params(
      "SELECT u.minutes, u.included_minutes, w.per_minute_rate_cents, w.partner_id, p.slug, p.slug || '/' || w.slug,"
      " p.invoice_tax_bp, s.id, sp.overage_minor_per_minute, coalesce(sp.currency, pp.currency, 'USD'),"
      " (SELECT count(*) FROM invoices i WHERE i.source = 'usage' AND i.subject_type = 'workspace' AND i.subject_id ="
      " w.id AND i.period_start = $2::date::timestamp AT TIME ZONE 'UTC') FROM usage_periods u JOIN workspaces w ON"
      " w.id = u.workspace_id JOIN partners p ON p.id = w.partner_id LEFT JOIN subscriptions s ON s.subject_type ="
      " 'workspace' AND s.subject_id = w.id AND s.status <> 'canceled' LEFT JOIN subscription_plans sp ON sp.tier ="
      " s.plan LEFT JOIN subscription_plans pp ON pp.tier = p.plan_tier WHERE u.workspace_id = $1::uuid AND u.period ="
      " $2::date FOR UPDATE OF u",
      ws, period);
  if (month.empty() || month[0][10].as<std::int64_t>() > 0) return {};
  const auto& m = month[0];
  UsageMonth usage;
  usage.minutes = m[0].as<std::int64_t>();
  usage.included_minutes = m[1].as<std::int64_t>();
  usage.workspace_rate = m[2].as<std::int64_t>();
  usage.has_plan = !m[7].is_null();
  usage.plan_rate = m[8].is_null() ? 0 : m[8].as<std::int64_t>();
  usage.tax_bp = m[6].as<std::int32_t>();
  // What prepaid credit paid of the month's draws: each usage row down to a zero balance, never below.
  usage.credit_cover =
      tx.exec_params(
            "SELECT coalesce(sum(least(-amount_cents, greatest(balance_after_cents - amount_cents, 0))), 0)::bigint"
            " FROM workspace_credits WHERE workspace_id = $1::uuid AND reason = 'usage' AND amount_cents < 0 AND"
            " created_at >= $2::date::timestamp AT TIME ZONE 'UTC' AND created_at < ($2::date + interval '1 month')"
            " AT TIME ZONE 'UTC'",
            ws, period)[0][0]
          .as<std::int64_t>();
  auto terms = usage_invoice_terms(usage);
  auto partner_id = m[3].as<std::string>();
  auto sequence = tx.exec_params(
                        "INSERT INTO invoice_counters AS c (partner_id, last_number) VALUES ($1::uuid, 1) ON CONFLICT"
                        " (partner_id) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number",
                        partner_id)[0][0]
                      .as<std::int64_t>();
  auto number =
      m[4].as<std::string>() + "-" + period.substr(0, 4) + period.substr(5, 2) + "-" + std::to_string(sequence);
  auto id =
      tx.exec_params(
            "INSERT INTO invoices (source, subject_type, subject_id, partner_id, subscription_id, number, currency,"
            " subtotal, credits_applied, tax, tax_bp, total, amount_due, status, period_start, period_end,"
            " issued_at, paid_at, created_by) VALUES ('usage', 'workspace', $1::uuid, $2::uuid, $3::uuid, $4, $5,"
            " $6, $7, $8, $9, $10, $10, CASE WHEN $10::bigint = 0 THEN 'paid' ELSE 'open' END, $11::date::timestamp"
            " AT TIME ZONE 'UTC', ($11::date + interval '1 month') AT TIME ZONE 'UTC', now(), CASE WHEN"
            " $10::bigint = 0 THEN now() END, $12) RETURNING id",
            ws, partner_id, m[7].is_null() ? std::nullopt : std::optional<std::string>(m[7].as<std::string>()), number,
            m[9].as<std::string>(), terms.subtotal, terms.credits_applied, terms.tax, usage.tax_bp, terms.total, period,
            actor)[0][0]
          .as<std::string>();
  int position = 0;
  for (const auto& line : terms.lines)
    tx.exec_params(
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_amount, amount, period_start,"
        " period_end) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::date::timestamp AT TIME ZONE 'UTC', ($7::date +"
        " interval '1 month') AT TIME ZONE 'UTC')",
        id, ++position, line.description, line.quantity, line.unit_amount, line.amount, period);
  record_audit(tx, {actor, "invoice.create", "invoice", id, partner_id, ws, "", row_json(tx, "invoices", id), ""});
  return {Cell(number),      Cell(m[5].as<std::string>()), Cell(usage.minutes), Cell(terms.billable_minutes),
          Cell(terms.total), Cell(m[9].as<std::string>())};
}

}  // namespace

Result run_billing_invoice_run(const InvoiceRunOptions& o, Session& session) {
  auto& connection = session.database().ready();
  std::string period;
  if (o.period) period = parse_period(*o.period, "--period");
  require_super_admin(session, "invoice every workspace's month");
  std::optional<std::string> partner_id;
  {
    pqxx::read_transaction tx(connection);
    if (period.empty()) period = previous_month(tx);
    if (o.partner) partner_id = partner_for(tx, session, *o.partner, "partner:billing:update").id;
  }
  RunLock lock(connection, "wfa.billing.invoice_run", "invoice run");
  std::vector<std::string> open;
  std::int64_t unclosed = 0;
  {
    pqxx::read_transaction tx(connection);
    for (const auto& row : tx.exec_params(
             "SELECT u.workspace_id FROM usage_periods u JOIN workspaces w ON w.id = u.workspace_id WHERE u.period ="
             " $1::date AND u.minutes > 0 AND NOT w.is_billing_exempt AND ($2::uuid IS NULL OR w.partner_id ="
             " $2::uuid) AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.source = 'usage' AND i.subject_type ="
             " 'workspace' AND i.subject_id = u.workspace_id AND i.period_start = $1::date::timestamp AT TIME ZONE"
             " 'UTC') ORDER BY u.workspace_id",
             period, partner_id))
      open.push_back(row[0].as<std::string>());
    unclosed = tx.exec_params(
                     "SELECT count(*) FROM workspaces w WHERE w.deleted_at IS NULL AND NOT w.is_billing_exempt AND"
                     " w.created_at < ($1::date + interval '1 month') AT TIME ZONE 'UTC' AND ($2::uuid IS NULL OR"
                     " w.partner_id = $2::uuid) AND NOT EXISTS (SELECT 1 FROM usage_periods u WHERE u.workspace_id ="
                     " w.id AND u.period = $1::date)",
                     period, partner_id)[0][0]
                   .as<std::int64_t>();
  }
  Table table{"invoices", {"number", "workspace", "minutes", "billable_minutes", "total", "currency"}, {}};
  RunCounts counts;
  auto interruptible = session.interruptible();
  for (const auto& ws : open) {
    if (session.cancellation().cancelled()) break;  // each invoice written so far stays; a rerun writes the rest
    pqxx::work tx(connection);
    auto row = invoice_workspace(tx, ws, period, session.actor());
    if (o.dry_run) {
      tx.abort();
    } else {
      tx.commit();
    }
    if (row.empty()) {
      ++counts.already;
      continue;
    }
    ++counts.created;
    counts.minutes += row[2].as_integer();
    counts.totals[row[5].as_string()] += row[4].as_integer();
    table.rows.push_back(std::move(row));
  }
  Result r;
  std::string totals;
  for (const auto& [currency, total] : counts.totals)
    totals += (totals.empty() ? "" : ", ") + currency + " " + std::to_string(total);
  r.fields = {{"period", Cell(period.substr(0, 7))},
              {"invoices_created", Cell(counts.created)},
              {"already_invoiced", Cell(counts.already)},
              {"minutes", Cell(counts.minutes)},
              {"totals_minor", Cell(totals)},
              {"workspaces_not_closed", Cell(unclosed)}};
  r.tables.push_back(std::move(table));
  auto what = std::to_string(counts.created) + " invoice(s) for " + period.substr(0, 7) +
              (totals.empty() ? "" : " (" + totals + " in minor units)");
  r.message = o.dry_run ? "dry run: would write " + what + "; nothing changed" : "wrote " + what;
  if (unclosed > 0)
    r.message += "; " + std::to_string(unclosed) + " workspace(s) have no closed " + period.substr(0, 7) +
                 ": run `wfa usage reset --period " + period.substr(0, 7) + "` first";
  return r;
}

Result run_billing_invoice_list(const InvoiceListOptions& o, Session& session) {
  if (o.status) check_choice("--status", *o.status, invoice_statuses, "an invoice status");
  std::optional<std::string> period;
  if (o.period) period = parse_period(*o.period, "--period");
  auto tx = list_transaction(session);
  std::optional<std::string> partner_id, workspace_id;
  if (o.workspace) workspace_id = workspace_for(*tx, session, *o.workspace, "workspace:billing:read", true).id;
  if (o.partner) partner_id = partner_for(*tx, session, *o.partner, "partner:billing:read", true).id;
  ListQuery query("billing invoice list", "invoices");
  query
      .select(
          "i.number, i.source, i.status, CASE i.subject_type WHEN 'workspace' THEN p.slug || '/' || w.slug ELSE"
          " p.slug END AS subject, to_char(i.period_start AT TIME ZONE 'UTC', 'YYYY-MM') AS period, i.currency,"
          " i.total, i.amount_due, " +
          utc_sql("i.issued_at") + " AS issued_at, i.id")
      .from(
          "invoices i JOIN partners p ON p.id = i.partner_id LEFT JOIN workspaces w ON i.subject_type ="
          " 'workspace' AND w.id = i.subject_id")
      .where("i.partner_id = ?::uuid", partner_id)
      .where("i.subject_type = 'workspace' AND i.subject_id = ?::uuid", workspace_id)
      .where("i.status = ?", o.status)
      .where("i.period_start = ?::date::timestamp AT TIME ZONE 'UTC'", period)
      .machine_columns(1)
      .order_by({{"i.created_at", "timestamptz", true}, {"i.id", "uuid", true}})
      .when_empty("no invoices");
  // Without a partner or workspace named, a member sees the invoices of the workspaces they may read.
  if (!o.partner && !o.workspace)
    only_visible_workspaces(*tx, session, query, "CASE WHEN i.subject_type = 'workspace' THEN i.subject_id END");
  return list_rows(tx, query, o.paging, session);
}

Result run_billing_invoice_show(const InvoiceShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto invoice = find_invoice(tx, o.invoice, false);
  authorize_invoice(tx, session, invoice, "read");
  Result r;
  r.fields = invoice_fields(tx, invoice.id);
  r.tables.push_back(invoice_lines(tx, invoice.id));
  return r;
}

Result run_billing_invoice_pdf(const InvoicePdfOptions& o, Session& session) {
  fs::path layout_file = o.layout;
  if (o.layout.find('/') == std::string::npos && !o.layout.ends_with(".json")) {
    layout_file = resource_dir("templates") / "invoice" / (o.layout + ".json");
    if (!fs::exists(layout_file))
      throw NotFoundError("layout '" + o.layout + "' not found in " + layout_file.parent_path().string(),
                          "use --layout standard, or give the path of a layout .json file");
  }
  auto layout = ProposalLayout::load(layout_file.string(), invoice_schema());
  pqxx::read_transaction tx(session.read_database().ready());
  auto invoice = find_invoice(tx, o.invoice, false);
  authorize_invoice(tx, session, invoice, "read");
  auto row = tx.exec_params(
      "SELECT coalesce(i.number, i.id::text), i.status, CASE i.subject_type WHEN 'workspace' THEN w.name || ' (' ||"
      " p.slug || '/' || w.slug || ')' ELSE p.name END, to_char(coalesce(i.issued_at, i.created_at) AT TIME ZONE"
      " 'UTC', 'YYYY-MM-DD'), to_char(i.period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD'), to_char((i.period_end -"
      " interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD'), i.currency, coalesce(c.exponent, 2), i.subtotal,"
      " i.credits_applied, i.tax, coalesce(i.tax_bp, 0), i.total, i.amount_due FROM invoices i JOIN partners p ON"
      " p.id = i.partner_id LEFT JOIN workspaces w ON i.subject_type = 'workspace' AND w.id = i.subject_id LEFT JOIN"
      " currencies c ON c.code = i.currency WHERE i.id = $1::uuid",
      invoice.id)[0];
  InvoiceContent content;
  auto brand = partner_brand(tx, invoice.partner_id, file_store_root(session));
  content.brand_name = brand.name.empty() ? layout->default_brand_name() : brand.name;
  content.brand_color = brand.color.empty() ? layout->default_brand_color() : brand.color;
  content.logo = brand.logo;
  content.number = row[0].as<std::string>();
  content.status = row[1].as<std::string>();
  content.bill_to = row[2].as<std::string>();
  content.issued = row[3].as<std::string>();
  content.period_start = row[4].is_null() ? "" : row[4].as<std::string>();
  content.period_end = row[5].is_null() ? "" : row[5].as<std::string>();
  content.currency = row[6].as<std::string>();
  content.exponent = row[7].as<int>();
  content.subtotal = row[8].as<std::int64_t>();
  content.credits_applied = row[9].as<std::int64_t>();
  content.tax = row[10].as<std::int64_t>();
  content.tax_rate = format_amount(row[11].as<std::int64_t>(), 2) + "%";
  content.total = row[12].as<std::int64_t>();
  content.amount_due = row[13].as<std::int64_t>();
  for (const auto& line : tx.exec_params("SELECT description, quantity, unit_amount, amount FROM invoice_lines WHERE"
                                         " invoice_id = $1::uuid ORDER BY position",
                                         invoice.id))
    content.lines.push_back({line[0].as<std::string>(), line[1].as<std::int64_t>(), line[2].as<std::int64_t>(),
                             line[3].as<std::int64_t>()});
  auto pages = render_invoice(*layout, content);
  std::vector<const RenderedPage*> list;
  for (const auto& page : pages) list.push_back(&page);
  auto pdf = write_pdf(layout->fonts(), list, {"Invoice " + content.number + " for " + content.bill_to, ""});
  write_file_atomic(o.out, pdf);
  Result r;
  r.fields = {{"invoice", Cell(content.number)},
              {"file", Cell(o.out)},
              {"pages", Cell(static_cast<std::int64_t>(pages.size()))},
              {"bytes", Cell(static_cast<std::int64_t>(pdf.size()))}};
  r.message = "wrote invoice " + content.number + " to " + o.out;
  return r;
}

Result run_billing_invoice_void(const InvoiceVoidOptions& o, Session& session) {
  pqxx::work tx(session.database().ready());
  auto invoice = find_invoice(tx, o.invoice, true);
  authorize_invoice(tx, session, invoice, "update");
  if (invoice.source != "usage")
    throw ConflictError("invoice " + o.invoice + " is Stripe's",
                        "void it in Stripe; its invoice.voided event lands here");
  Result r;
  if (invoice.status == "void") {
    r.fields = invoice_fields(tx, invoice.id);
    r.message = "invoice " + invoice.number + " is already void; nothing to do";
    return r;
  }
  if (invoice.status != "open" && invoice.status != "draft")
    throw ConflictError("invoice " + invoice.number + " is " + invoice.status + " and cannot be voided",
                        "only an open or draft invoice can be voided; refund a paid one instead");
  if (!o.dry_run) session.confirm(o.yes, "void invoice " + invoice.number);
  auto old_values = row_json(tx, "invoices", invoice.id);
  tx.exec_params(
      "UPDATE invoices SET status = 'void', voided_at = now(), amount_due = 0, void_reason = $2 WHERE id = $1::uuid",
      invoice.id, o.reason);
  record_audit(tx, {session.actor(), "invoice.void", "invoice", invoice.id, invoice.partner_id,
                    invoice.subject_type == "workspace" ? std::optional<std::string>(invoice.subject_id) : std::nullopt,
                    old_values, row_json(tx, "invoices", invoice.id), ""});
  r.fields = invoice_fields(tx, invoice.id);
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "voided invoice " + invoice.number,
                             "invoice " + invoice.number + " would be voided");
}

}  // namespace wfa
