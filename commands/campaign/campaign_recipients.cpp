// `wfa campaign recipients list|remove|export`.
#include <cstdio>
#include <fstream>
#include <memory>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/session.hpp"
#include "core/database.hpp"
#include "core/rows.hpp"
#include "core/audited_mutation.hpp"
#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_rules.hpp"
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

/// write_recipients streams a campaign's recipients to OUT as CSV in keyset pages (memory stays flat); returns the
/// count.
std::int64_t write_recipients(pqxx::transaction_base& tx, const std::string& campaign_id, std::ostream& out) {
  out << "phone,first_name,last_name,email,company,timezone,status,variables,created_at\r\n";
  std::int64_t last = 0, count = 0;
  for (;;) {
    auto rows = tx.exec_params(
        "SELECT id, phone, first_name, last_name, email, company, timezone, status, variables::text,"
        " " +
            utc_sql("created_at") +
            " FROM campaign_recipients WHERE campaign_id = $1::uuid AND id > $2 ORDER BY id LIMIT 20000",
        campaign_id, last);
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
  return count;
}

}  // namespace

Result run_campaign_recipients_list(const RecipientsListOptions& o, Session& session) {
  if (o.status && std::none_of(std::begin(recipient_statuses), std::end(recipient_statuses),
                               [&](const char* s) { return *o.status == s; }))
    throw InvalidInputError(session.option("status") + " '" + *o.status + "' is not a recipient status",
                            "use pending, queued, calling, completed, failed or skipped");
  if (o.limit < 0)
    throw InvalidInputError(session.option("limit") + " " + std::to_string(o.limit) + " is negative",
                            "give 0 for all, or a positive number");
  pqxx::read_transaction tx(session.database().ready());
  auto c = find_campaign(tx, o.campaign);
  auto rows = tx.exec_params(
      "SELECT phone, first_name, last_name, email, company, timezone, status, variables, import_id, created_at, "
      "count(*) OVER () AS total"
      " FROM campaign_recipients WHERE campaign_id = $1::uuid AND ($2::text IS NULL OR status = $2) ORDER BY id LIMIT "
      "$3",
      c.id, o.status, o.limit == 0 ? std::optional<long>() : std::optional<long>(o.limit));
  auto r = paged_table(rows, "recipients");
  if (rows.empty())
    r.message = "campaign " + c.label + " has no recipients" + (o.status ? " with status " + *o.status : "");
  return r;
}

Result run_campaign_recipients_remove(const RecipientsRemoveOptions& o, Session& session) {
  const NumberingPlan* country = nullptr;
  if (o.default_country && !(country = find_plan(*o.default_country)))
    throw InvalidInputError(
        session.option("default-country") + " '" + *o.default_country + "' is not in the numbering table",
        "use an ISO code such as AE, GB or US");
  std::vector<std::string> phones;
  std::string e164;
  for (const auto& raw : o.phones) {
    if (auto why = normalize_phone(raw, country, e164); !why.empty())
      throw InvalidInputError("phone '" + raw + "' " + std::string(why),
                              "write it as +CC... or give --default-country");
    phones.push_back(e164);
  }
  auto& conn = session.database().ready();
  if (!o.dry_run) {
    pqxx::read_transaction tx(conn);
    auto c = find_campaign(tx, o.campaign);
    session.confirm(o.yes, "remove " + std::to_string(phones.size()) + " recipient(s) from campaign " + c.label);
  }
  pqxx::work tx(conn);
  auto c = find_campaign(tx, o.campaign, true);
  if (is_terminal(c.status))
    throw ConflictError("campaign " + c.label + " is " + c.status + "; its recipients no longer change",
                        "nothing to do");
  std::string list = "{";
  for (std::size_t i = 0; i < phones.size(); ++i) list += (i ? "," : "") + phones[i];
  list += "}";
  auto removed = tx.exec_params(
      "DELETE FROM campaign_recipients WHERE campaign_id = $1::uuid AND phone = ANY($2::text[])"
      " RETURNING phone, first_name, last_name, email, status",
      c.id, list);
  Result r;
  r.tables.push_back(to_table(removed, "recipients"));
  auto n = std::to_string(removed.size());
  if (removed.empty()) {
    r.message = "none of the numbers is a recipient of campaign " + c.label + "; nothing changed";
    return r;
  }
  record_audit(tx, {session.actor(), "campaign.recipients_remove", "campaign", c.id, c.partner_id, c.workspace_id, "",
                    "", "{\"removed\": " + n + "}"});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "removed " + n + " recipient(s) from campaign " + c.label,
                             "would remove " + n + " recipient(s) from campaign " + c.label);
}

Result run_campaign_recipients_export(const RecipientsExportOptions& o, Session& session) {
  std::ofstream file;
  if (o.out) {
    file.open(*o.out, std::ios::binary);
    if (!file) throw InvalidInputError("cannot write " + *o.out, "choose a writable path");
  }
  auto tx = std::make_shared<pqxx::read_transaction>(session.database().ready());
  auto c = find_campaign(*tx, o.campaign);
  auto message = [label = c.label](std::int64_t count) {
    return "exported " + std::to_string(count) + " recipient(s) of campaign " + label;
  };
  Result r;
  if (!o.out) {
    // Standard output stays pure CSV: the rows are the stream, the summary goes to the front end's messages.
    r.stream = [tx, id = c.id, message](std::ostream& out) {
      auto count = write_recipients(*tx, id, out);
      if (!out) throw InvalidInputError("writing stdout failed", "check the disk space");
      return message(count);
    };
    return r;
  }
  auto count = write_recipients(*tx, c.id, file);
  if (!file) throw InvalidInputError("writing " + *o.out + " failed", "check the disk space");
  r.fields = {{"campaign", Cell(c.label)}, {"file", Cell(*o.out)}, {"recipients", Cell(count)}};
  r.message = message(count) + " to " + *o.out;
  return r;
}

}  // namespace wfa
