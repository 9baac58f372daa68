// `wfa booking create|list|show`.
#include "commands/booking/booking.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "commands/booking/booking_rules.hpp"
#include "commands/lead/lead_rules.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/sales/sales_rules.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/money.hpp"

namespace wfa {

namespace {

/// BookingDraft is what a new booking holds once its flags or its proposal are read.
struct BookingDraft {
  std::string client, currency, from, to;
  std::optional<std::string> proposal_id;
  std::vector<std::string> location_keys;
  std::int64_t total = 0;
};

/// from_proposal reads the logged proposal's client, locations, dates, currency and total.
BookingDraft from_proposal(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                           const std::string& label, const std::string& proposal) {
  auto rows = tx.exec_params(
      "SELECT proposal_id, client_name, location_keys, start_date::text, end_date::text, currency, total"
      " FROM proposals_log WHERE workspace_id = $1::uuid AND proposal_id = $2",
      ws.id, proposal);
  if (rows.empty())
    throw NotFoundError("proposal " + proposal + " is not logged in workspace " + label,
                        "list them with `wfa proposal list --workspace " + label + "`");
  BookingDraft d;
  d.proposal_id = rows[0][0].as<std::string>();
  // Booking a proposal needs the right to read it: a grant of sales:proposals:read or access to this proposal.
  require_workspace(tx, actor_of(tx, session), ws, label, "sales:proposals:read",
                    RecordRef{"proposal", *d.proposal_id});
  d.client = rows[0][1].as<std::string>();
  auto keys = rows[0][2].as_array();
  for (auto item = keys.get_next(); item.first != pqxx::array_parser::juncture::done; item = keys.get_next())
    if (item.first == pqxx::array_parser::juncture::string_value) d.location_keys.push_back(item.second);
  d.from = rows[0][3].as<std::string>();
  d.to = rows[0][4].as<std::string>();
  d.currency = rows[0][5].as<std::string>();
  d.total = rows[0][6].as<std::int64_t>();
  return d;
}

/// from_flags checks the booking's own flags (exit 2 for a missing one, 6 for a bad value).
BookingDraft from_flags(pqxx::transaction_base& tx, const BookingCreateOptions& o, const Session& session) {
  if (!o.client || o.locations.empty() || !o.from || !o.to || !o.total)
    throw UsageError("a booking needs --client, --location, --from, --to and --total, or --proposal",
                     "e.g. --client 'Gulf Motors' --location DXB-001 --from 2027-01-01 --to 2027-01-28 --total 45000");
  BookingDraft d;
  d.client = check_display_name(session.option("client"), *o.client, "give one line of at most 200 characters");
  d.location_keys = o.locations;
  d.from = check_date("--from", *o.from);
  d.to = check_date("--to", *o.to);
  auto currency = find_currency(tx, o.currency.value_or("AED"), "--currency");
  d.currency = currency.code;
  d.total = parse_amount(*o.total, currency.exponent, "--total");
  return d;
}

/// next_number hands out the workspace's next booking number of this year.
std::string next_number(pqxx::transaction_base& tx, const std::string& ws_id) {
  auto row = tx.exec_params(
      "INSERT INTO booking_numbers AS n (workspace_id, year, last_number) VALUES ($1::uuid, to_char(now() AT TIME ZONE"
      " 'UTC', 'YYYY'), 1) ON CONFLICT (workspace_id, year) DO UPDATE SET last_number = n.last_number + 1"
      " RETURNING 'BO-' || year || '-' || lpad(last_number::text, 4, '0')",
      ws_id)[0];
  return row[0].as<std::string>();
}

}  // namespace

Result run_booking_create(const BookingCreateOptions& o, Session& session) {
  if (o.proposal && (o.client || !o.locations.empty() || o.from || o.to || o.total || o.currency))
    throw UsageError("--proposal gives the client, locations, dates, currency and total",
                     "give --proposal alone, or the booking's own flags without it");
  int share_bp = 10000;
  if (o.share) {
    share_bp = parse_percent_bp(*o.share, "--share");
    if (share_bp == 0)
      throw InvalidInputError("--share 0 books nothing", "give a share of voice above 0 %, e.g. --share 25");
  }
  std::optional<std::string> notes;
  if (o.notes) notes = check_free_text("--notes", *o.notes, 4000);
  pqxx::work tx(session.database().ready());
  auto ws = workspace_for(tx, session, o.workspace, "sales:bookings:create");
  auto draft = o.proposal ? from_proposal(tx, session, ws, o.workspace, *o.proposal) : from_flags(tx, o, session);
  check_period("--from", draft.from, "--to", draft.to);
  auto owner = new_lead_owner(tx, session, ws, o.workspace, o.owner);
  auto number = next_number(tx, ws.id);
  auto id = tx.exec_params(
                  "INSERT INTO booking_orders (workspace_id, number, client_name, proposal_id, currency, total,"
                  " owner_user_id, notes, created_by) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::uuid, $8, $9)"
                  " RETURNING id",
                  ws.id, number, draft.client, draft.proposal_id, draft.currency, draft.total, owner, notes,
                  session.actor())[0][0]
                .as<std::string>();
  std::vector<OccupancyClaim> claims;
  SalesScope scope{ws, o.workspace};
  for (const auto& key : draft.location_keys) {
    auto location = find_location(tx, scope, key);
    if (std::any_of(claims.begin(), claims.end(),
                    [&](const OccupancyClaim& c) { return c.location_id == location.id; }))
      throw UsageError("location " + key + " is given twice", "give each location once");
    claims.push_back({location.id, location.key, draft.from, draft.to, share_bp});
    tx.exec_params(
        "INSERT INTO booking_order_locations (workspace_id, booking_id, location_id, start_date, end_date, share_bp)"
        " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::date, $5::date, $6::int)",
        ws.id, id, location.id, draft.from, draft.to, share_bp);
  }
  check_share_of_voice(tx, ws.id, claims, "booking " + number);
  if (owner) set_record_owner(tx, ws.id, {"booking", id}, *owner, session.actor());
  auto documents = attach_documents(tx, session, ws, "booking", id, o.documents, session.actor(), o.dry_run);
  Result r;
  r.fields = booking_fields(tx, ws.id, id);
  record_audit(tx, {session.actor(), "booking.create", "booking", id, ws.partner_id, ws.id, "",
                    nlohmann::json{{"number", number},
                                   {"client", draft.client},
                                   {"locations", draft.location_keys},
                                   {"from", draft.from},
                                   {"to", draft.to},
                                   {"share_bp", share_bp},
                                   {"currency", draft.currency},
                                   {"total", draft.total},
                                   {"proposal_id", draft.proposal_id.value_or("")},
                                   {"documents", documents},
                                   {"owner_user_id", owner.value_or("")}}
                        .dump(),
                    ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "created booking " + number + " (draft)",
                             "would create booking " + number);
}

Result run_booking_list(const BookingListOptions& o, Session& session) {
  if (o.status) check_choice(session.option("status"), *o.status, booking_statuses, "a booking status");
  auto tx = list_transaction(session);
  auto ws = workspace_for(*tx, session, o.workspace, "workspace:bookings:read");
  std::optional<std::string> owner, location;
  if (o.owner) owner = member_id(*tx, ws, o.workspace, *o.owner);
  if (o.location) location = find_location(*tx, SalesScope{ws, o.workspace}, *o.location).id;
  ListQuery query("booking list", "bookings");
  query
      .select(
          "b.number, b.client_name AS client, b.status, (SELECT string_agg(l.location_key, ',' ORDER BY"
          " l.location_key) FROM booking_order_locations bl JOIN locations l ON l.workspace_id = bl.workspace_id"
          " AND l.id = bl.location_id WHERE bl.workspace_id = b.workspace_id AND bl.booking_id = b.id) AS"
          " locations, b.currency, " +
          total_sql("b", "cur") + " AS total, u.email AS owner, " + utc_sql("b.created_at") +
          " AS created_at, b.id, b.total AS total_minor")
      .from(
          "booking_orders b JOIN currencies cur ON cur.code = b.currency LEFT JOIN users u ON u.id ="
          " b.owner_user_id")
      .where("b.workspace_id = ?::uuid", ws.id)
      .where("b.status = ?", o.status)
      .where("b.owner_user_id = ?::uuid", owner)
      .where(
          "EXISTS (SELECT 1 FROM booking_order_locations bl WHERE bl.workspace_id = b.workspace_id AND"
          " bl.booking_id = b.id AND bl.location_id = ?::uuid)",
          location)
      .order_by({{"b.created_at", "timestamptz"}, {"b.id", "uuid"}})
      .machine_columns(2)
      .when_empty("no bookings in workspace " + o.workspace);
  only_visible_bookings(*tx, session, ws, query);
  return list_rows(tx, query, o.paging, session);
}

Result run_booking_show(const BookingShowOptions& o, Session& session) {
  pqxx::read_transaction tx(session.read_database().ready());
  auto booking = booking_for(tx, session, o.workspace, o.booking, "sales:bookings:read");
  Result r;
  r.fields = booking_fields(tx, booking.workspace.id, booking.id);
  ListQuery lines("booking show", "locations");
  lines
      .select("l.location_key AS location, bl.start_date::text AS start_date, bl.end_date::text AS end_date, " +
              percent_sql("bl.share_bp") + " AS share_pct")
      .from(
          "booking_order_locations bl JOIN locations l ON l.workspace_id = bl.workspace_id AND l.id ="
          " bl.location_id")
      .where("bl.workspace_id = ?::uuid", booking.workspace.id)
      .where("bl.booking_id = ?::uuid", booking.id)
      .order_by({{"l.location_key", "text"}});
  r.tables.push_back(query_table(tx, lines));
  ListQuery steps("booking show", "steps");
  steps
      .select("s.position AS step, s.name, s.permission, s.status, s.decided_by, " + utc_sql("s.decided_at") +
              " AS decided_at, s.comment")
      .from("booking_steps s")
      .where("s.workspace_id = ?::uuid", booking.workspace.id)
      .where("s.booking_id = ?::uuid", booking.id)
      .order_by({{"s.position", "smallint"}});
  r.tables.push_back(query_table(tx, steps));
  ListQuery documents("booking show", "documents");
  documents
      .select("d.file_name, d.media_type, d.bytes, d.sha256, d.path, d.created_by, " + utc_sql("d.created_at") +
              " AS created_at")
      .from("documents d")
      .where("d.workspace_id = ?::uuid", booking.workspace.id)
      .where("d.entity_type = 'booking' AND d.entity_id = ?", booking.id)
      .order_by({{"d.file_name", "text"}});
  r.tables.push_back(query_table(tx, documents));
  return r;
}

}  // namespace wfa
