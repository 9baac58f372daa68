// `wfa campaign recipients list|remove|export`.
#include <cstdio>
#include <fstream>

#include <pqxx/result>
#include <pqxx/transaction>

#include "cli/context.hpp"
#include "cli/database.hpp"
#include "cli/rows.hpp"
#include "commands/audit_log.hpp"
#include "commands/campaign.hpp"
#include "commands/campaign_rules.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

namespace {

const char* const recipient_statuses[] = {"pending", "queued", "calling", "completed", "failed", "skipped"};

void write_csv_value(std::ostream& out, const char* value) {
  std::string_view v(value);
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out << v;
    return;
  }
  out << '"';
  for (char ch : v) {
    if (ch == '"') out << '"';
    out << ch;
  }
  out << '"';
}

}  // namespace

Result run_campaign_recipients_list(const RecipientsListOptions& o, Context& ctx) {
  if (o.status && std::none_of(std::begin(recipient_statuses), std::end(recipient_statuses), [&](const char* s) { return *o.status == s; }))
    throw InvalidInputError("--status '" + *o.status + "' is not a recipient status", "use pending, queued, calling, completed, failed or skipped");
  if (o.limit < 0) throw InvalidInputError("--limit " + std::to_string(o.limit) + " is negative", "give 0 for all, or a positive number");
  pqxx::read_transaction tx(ctx.database().ready());
  auto c = find_campaign(tx, o.campaign);
  auto rows = tx.exec_params(
      "SELECT phone, first_name, last_name, email, company, timezone, status, variables, import_id, created_at, count(*) OVER () AS total"
      " FROM campaign_recipients WHERE campaign_id = $1::uuid AND ($2::text IS NULL OR status = $2) ORDER BY id LIMIT $3",
      c.id, o.status, o.limit == 0 ? std::optional<long>() : std::optional<long>(o.limit));
  auto r = paged_table(rows, "recipients");
  if (rows.empty()) r.message = "campaign " + c.label + " has no recipients" + (o.status ? " with status " + *o.status : "");
  return r;
}

Result run_campaign_recipients_remove(const RecipientsRemoveOptions& o, Context& ctx) {
  const NumberingPlan* country = nullptr;
  if (o.default_country && !(country = find_plan(*o.default_country)))
    throw InvalidInputError("--default-country '" + *o.default_country + "' is not in the numbering table", "use an ISO code such as AE, GB or US");
  std::vector<std::string> phones;
  std::string e164;
  for (const auto& raw : o.phones) {
    if (auto why = normalize_phone(raw, country, e164); !why.empty())
      throw InvalidInputError("phone '" + raw + "' " + std::string(why), "write it as +CC... or give --default-country");
    phones.push_back(e164);
  }
  auto& conn = ctx.database().ready();
  if (!o.dry_run) {
    pqxx::read_transaction tx(conn);
    auto c = find_campaign(tx, o.campaign);
    ctx.confirm(o.yes, "remove " + std::to_string(phones.size()) + " recipient(s) from campaign " + c.label);
  }
  pqxx::work tx(conn);
  auto c = find_campaign(tx, o.campaign, true);
  if (is_terminal(c.status)) throw ConflictError("campaign " + c.label + " is " + c.status + "; its recipients no longer change", "nothing to do");
  std::string list = "{";
  for (std::size_t i = 0; i < phones.size(); ++i) list += (i ? "," : "") + phones[i];
  list += "}";
  auto removed = tx.exec_params("DELETE FROM campaign_recipients WHERE campaign_id = $1::uuid AND phone = ANY($2::text[])"
                                " RETURNING phone, first_name, last_name, email, status",
                                c.id, list);
  Result r;
  r.tables.push_back(to_table(removed, "recipients"));
  auto n = std::to_string(removed.size());
  if (removed.empty()) {
    r.message = "none of the numbers is a recipient of campaign " + c.label + "; nothing changed";
    return r;
  }
  record_audit(tx, {ctx.actor(), "campaign.recipients_remove", "campaign", c.id, c.partner_id, c.workspace_id, "", "",
                    "{\"removed\": " + n + "}"});
  return finish_mutation(tx, std::move(r), o.dry_run, "removed " + n + " recipient(s) from campaign " + c.label,
                         "would remove " + n + " recipient(s) from campaign " + c.label);
}

Outcome run_campaign_recipients_export(const RecipientsExportOptions& o, Context& ctx) {
  std::ofstream file;
  if (o.out) {
    file.open(*o.out, std::ios::binary);
    if (!file) throw InvalidInputError("cannot write " + *o.out, "choose a writable path");
  }
  std::ostream& out = o.out ? static_cast<std::ostream&>(file) : ctx.out();
  pqxx::read_transaction tx(ctx.database().ready());
  auto c = find_campaign(tx, o.campaign);
  out << "phone,first_name,last_name,email,company,timezone,status,variables,created_at\r\n";
  std::int64_t last = 0, count = 0;
  for (;;) {
    // Keyset pages keep memory flat for campaigns of any size.
    auto rows = tx.exec_params(
        "SELECT id, phone, first_name, last_name, email, company, timezone, status, variables::text,"
        " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        " FROM campaign_recipients WHERE campaign_id = $1::uuid AND id > $2 ORDER BY id LIMIT 20000",
        c.id, last);
    for (const auto& row : rows) {
      for (int k = 1; k < 10; ++k) {
        if (k > 1) out << ',';
        if (!row[k].is_null()) write_csv_value(out, row[k].c_str());
      }
      out << "\r\n";
      last = row[0].as<std::int64_t>();
      ++count;
    }
    if (rows.size() < 20000) break;
  }
  out.flush();
  if (!out) throw InvalidInputError("writing " + (o.out ? *o.out : std::string("stdout")) + " failed", "check the disk space");
  auto message = "exported " + std::to_string(count) + " recipient(s) of campaign " + c.label;
  if (!o.out) {
    ctx.info(message);
    return Outcome{};
  }
  Result r;
  r.fields = {{"campaign", Cell(c.label)}, {"file", Cell(*o.out)}, {"recipients", Cell(count)}};
  r.message = message + " to " + *o.out;
  return Outcome{std::move(r)};
}

}  // namespace wfa
