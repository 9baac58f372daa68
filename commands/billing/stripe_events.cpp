// Stripe's events applied once each: subscriptions (checkout.session.completed, customer.subscription.*), invoices
// (invoice.*), and refunds and credit grants recorded for the credits ledger. Newest state wins whatever the order.
#include "commands/billing/stripe_events.hpp"
#include "commands/credits/credit_rules.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/billing/billing_rules.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "core/audited_mutation.hpp"
#include "core/error.hpp"
#include "core/json_input.hpp"
#include "core/session.hpp"
#include "core/validation.hpp"

namespace wfa {

namespace {

using Json = nlohmann::json;
using Text = std::optional<std::string>;

constexpr std::size_t max_event_bytes = 1 << 20;

/// Unapplicable: the event is well formed but can never change anything (kept as failed, not retried).
struct Unapplicable {
  std::string reason;
};

std::string text_at(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

/// id_of reads an expandable field: an id, or the expanded object's id.
std::string id_of(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) return text_at(*it, "id");
  return "";
}

Text number_at(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return std::to_string(it->get<std::int64_t>());
}

std::int64_t amount_at(const Json& object, const char* key) {
  auto n = number_at(object, key);
  return n ? std::stoll(*n) : 0;
}

const Json& object_at(const Json& object, const char* key) {
  static const Json empty = Json::object();
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? *it : empty;
}

/// first_item is the first entry of a list object's data (a subscription's items, an invoice's lines).
const Json& first_item(const Json& object, const char* key) {
  static const Json empty = Json::object();
  const auto& list = object_at(object, key);
  auto it = list.find("data");
  return it != list.end() && it->is_array() && !it->empty() && (*it)[0].is_object() ? (*it)[0] : empty;
}

struct Event {
  std::string id, type;
  std::int64_t created = 0;
  const Json* object = nullptr;
};

/// Kept is the subscription row an event concerns.
struct KeptRow {
  std::string id, subject_type, subject_id, partner_id, plan;
  std::optional<std::int64_t> stripe_updated;
  std::string stripe_subscription_id;
};

std::optional<KeptRow> kept_row(pqxx::dbtransaction& tx, const std::string& where, const std::string& a,
                                const std::string& b = "") {
  auto rows = tx.exec_params(
      "SELECT id, subject_type, subject_id, partner_id, plan, extract(epoch FROM stripe_updated)::bigint,"
      " coalesce(stripe_subscription_id, '') FROM subscriptions WHERE " +
          where + " ORDER BY updated_at DESC LIMIT 1 FOR UPDATE",
      a, b);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return KeptRow{
      r[0].as<std::string>(), r[1].as<std::string>(),
      r[2].as<std::string>(), r[3].as<std::string>(),
      r[4].as<std::string>(), r[5].is_null() ? std::nullopt : std::optional<std::int64_t>(r[5].as<std::int64_t>()),
      r[6].as<std::string>()};
}

/// Subject is whom wfa's metadata on a Stripe object names (set by `billing checkout`).
struct Subject {
  std::string type, id, partner_id;
};

std::optional<Subject> metadata_subject(pqxx::dbtransaction& tx, const Json& object) {
  const auto& metadata = object_at(object, "metadata");
  auto type = text_at(metadata, "wfa_subject_type"), id = text_at(metadata, "wfa_subject_id");
  if (id.empty()) {
    id = text_at(object, "client_reference_id");
    type = "partner";
  }
  if (id.empty() || !is_uuid(id) || (type != "partner" && type != "workspace")) return std::nullopt;
  auto rows = type == "partner" ? tx.exec_params("SELECT id FROM partners WHERE id = $1::uuid", id)
                                : tx.exec_params("SELECT partner_id FROM workspaces WHERE id = $1::uuid", id);
  if (rows.empty()) return std::nullopt;
  return Subject{type, id, rows[0][0].as<std::string>()};
}

/// subscription_for finds the row of Stripe subscription SUB: by its id, then the subject its metadata names, then
/// its customer's other subscription.
std::optional<KeptRow> subscription_for(pqxx::dbtransaction& tx, const std::string& sub, const std::string& customer,
                                        const std::optional<Subject>& subject) {
  if (!sub.empty())
    if (auto row = kept_row(tx, "stripe_subscription_id = $1 AND $2 = ''", sub)) return row;
  if (subject)
    if (auto row = kept_row(tx, "subject_type = $1 AND subject_id = $2::uuid", subject->type, subject->id)) return row;
  if (!customer.empty()) return kept_row(tx, "stripe_customer_id = $1 AND $2 = ''", customer);
  return std::nullopt;
}

/// plan_of is the catalogue plan of a Stripe subscription: its first item's price, else wfa's metadata.
std::optional<std::string> plan_of(pqxx::dbtransaction& tx, const Json& object) {
  auto price = id_of(first_item(object, "items"), "price");
  if (!price.empty()) {
    auto rows = tx.exec_params("SELECT tier FROM subscription_plans WHERE stripe_price_id = $1", price);
    if (!rows.empty()) return rows[0][0].as<std::string>();
  }
  auto tier = text_at(object_at(object, "metadata"), "wfa_plan");
  if (!tier.empty() && !tx.exec_params("SELECT 1 FROM subscription_plans WHERE tier = $1", tier).empty()) return tier;
  return std::nullopt;
}

void audit(pqxx::dbtransaction& tx, Session& session, const Event& e, const std::string& action,
           const std::string& entity_type, const std::string& id, const std::string& partner_id,
           const std::optional<std::string>& workspace_id, const std::string& table, const std::string& before) {
  record_audit(tx, {session.actor(), action, entity_type, id, partner_id, workspace_id, before, row_json(tx, table, id),
                    Json{{"stripe_event", e.id}, {"type", e.type}}.dump()});
}

std::optional<std::string> workspace_of(const std::string& type, const std::string& id) {
  return type == "workspace" ? std::optional<std::string>(id) : std::nullopt;
}

StripeEventOutcome apply_subscription(pqxx::dbtransaction& tx, Session& session, const Event& e) {
  const auto& object = *e.object;
  auto sub = text_at(object, "id");
  if (sub.empty()) throw Unapplicable{"the subscription has no id"};
  auto status = text_at(object, "status");
  if (status == "incomplete_expired") status = "canceled";
  if (status == "unpaid") status = "past_due";
  if (e.type == "customer.subscription.deleted") status = "canceled";
  if (std::find(subscription_statuses.begin(), subscription_statuses.end(), status) == subscription_statuses.end())
    throw Unapplicable{"subscription " + sub + " has status '" + status + "', which wfa does not know"};
  auto customer = id_of(object, "customer");
  auto subject = metadata_subject(tx, object);
  auto row = subscription_for(tx, sub, customer, subject);
  if (!row && !subject)
    return {"ignored", "subscription " + sub + " names no partner or workspace of wfa (metadata wfa_subject_id)"};
  // A replaced subscription's end does not end its successor.
  if (row && !row->stripe_subscription_id.empty() && row->stripe_subscription_id != sub && status == "canceled")
    return {"ignored", "subscription " + sub + " ended after its subject moved to " + row->stripe_subscription_id};
  // Newest wins: an event older than the state kept changes nothing; at the same second, a created never undoes what
  // a later kind of event set.
  if (row && row->stripe_updated &&
      (*row->stripe_updated > e.created ||
       (*row->stripe_updated == e.created && e.type == "customer.subscription.created")))
    return {"stale", "subscription " + sub + " holds newer state than this event"};
  auto plan = plan_of(tx, object);
  if (!plan && row) plan = row->plan;
  if (!plan) throw Unapplicable{"subscription " + sub + " has a price that is no plan's Stripe price"};
  const auto& item = first_item(object, "items");
  auto period_start = number_at(object, "current_period_start"), period_end = number_at(object, "current_period_end");
  if (!period_start) period_start = number_at(item, "current_period_start");
  if (!period_end) period_end = number_at(item, "current_period_end");
  auto cancel_at_end = object.value("cancel_at_period_end", false) ? "true" : "false";
  std::string id, before;
  if (row) {
    id = row->id;
    before = row_json(tx, "subscriptions", id);
    tx.exec_params(
        "UPDATE subscriptions SET stripe_subscription_id = $2, stripe_customer_id = coalesce(NULLIF($3, ''),"
        " stripe_customer_id), plan = $4, status = $5, current_period_start = to_timestamp($6::double precision),"
        " current_period_end = to_timestamp($7::double precision), trial_end = to_timestamp($8::double precision),"
        " cancel_at_period_end = $9::boolean, canceled_at = to_timestamp($10::double precision), stripe_updated ="
        " to_timestamp($11::double precision) WHERE id = $1::uuid",
        id, sub, customer, *plan, status, period_start, period_end, number_at(object, "trial_end"), cancel_at_end,
        number_at(object, "canceled_at"), std::to_string(e.created));
  } else {
    id =
        tx.exec_params(
              "INSERT INTO subscriptions (subject_type, subject_id, partner_id, plan, status, current_period_start,"
              " current_period_end, trial_end, cancel_at_period_end, canceled_at, stripe_customer_id,"
              " stripe_subscription_id, stripe_updated) VALUES ($1, $2::uuid, $3::uuid, $4, $5, to_timestamp($6::double"
              " precision), to_timestamp($7::double precision), to_timestamp($8::double precision), $9::boolean,"
              " to_timestamp($10::double precision), NULLIF($11, ''), $12, to_timestamp($13::double precision))"
              " RETURNING id",
              subject->type, subject->id, subject->partner_id, *plan, status, period_start, period_end,
              number_at(object, "trial_end"), cancel_at_end, number_at(object, "canceled_at"), customer, sub,
              std::to_string(e.created))[0][0]
            .as<std::string>();
  }
  auto kept = kept_row(tx, "id = $1::uuid AND $2 = ''", id);
  if (kept->subject_type == "partner") {
    if (status == "active" || status == "trialing") put_partner_on_plan(tx, kept->partner_id, *plan);
    mirror_partner_subscription(tx, id);
  }
  audit(tx, session, e, "billing.subscription.stripe", "subscription", id, kept->partner_id,
        workspace_of(kept->subject_type, kept->subject_id), "subscriptions", before);
  return {"applied", "subscription " + sub + ": " + status + " on plan " + *plan};
}

StripeEventOutcome apply_checkout(pqxx::dbtransaction& tx, Session& session, const Event& e) {
  const auto& object = *e.object;
  if (text_at(object, "mode") != "subscription")
    return {"recorded", "a payment checkout; top-ups are the credits ledger's to apply"};
  auto sub = id_of(object, "subscription");
  if (sub.empty()) throw Unapplicable{"the completed checkout session has no subscription"};
  auto customer = id_of(object, "customer");
  auto subject = metadata_subject(tx, object);
  auto row = subscription_for(tx, sub, customer, subject);
  if (!row && !subject)
    return {"ignored", "checkout session " + text_at(object, "id") + " names no partner or workspace of wfa"};
  std::string id, before;
  if (row) {
    id = row->id;
    before = row_json(tx, "subscriptions", id);
    // Linking only: status and periods are the subscription events' to set.
    tx.exec_params(
        "UPDATE subscriptions SET stripe_subscription_id = $2, stripe_customer_id = coalesce(NULLIF($3, ''),"
        " stripe_customer_id), stripe_updated = CASE WHEN stripe_subscription_id IS DISTINCT FROM $2 THEN NULL ELSE"
        " stripe_updated END WHERE id = $1::uuid",
        id, sub, customer);
  } else {
    auto plan = text_at(object_at(object, "metadata"), "wfa_plan");
    if (plan.empty() || tx.exec_params("SELECT 1 FROM subscription_plans WHERE tier = $1", plan).empty())
      throw Unapplicable{"checkout session " + text_at(object, "id") + " names no plan of wfa (metadata wfa_plan)"};
    id = tx.exec_params(
               "INSERT INTO subscriptions (subject_type, subject_id, partner_id, plan, status, stripe_customer_id,"
               " stripe_subscription_id) VALUES ($1, $2::uuid, $3::uuid, $4, 'incomplete', NULLIF($5, ''), $6)"
               " RETURNING id",
               subject->type, subject->id, subject->partner_id, plan, customer, sub)[0][0]
             .as<std::string>();
  }
  if (!before.empty() && !row_changed(tx, before, row_json(tx, "subscriptions", id)))
    return {"applied", "subscription " + sub + " was linked already"};
  auto kept = kept_row(tx, "id = $1::uuid AND $2 = ''", id);
  if (kept->subject_type == "partner") mirror_partner_subscription(tx, id);
  audit(tx, session, e, "billing.subscription.stripe", "subscription", id, kept->partner_id,
        workspace_of(kept->subject_type, kept->subject_id), "subscriptions", before);
  return {"applied", "subscription " + sub + " linked to its " + kept->subject_type};
}

int invoice_rank(const std::string& status) {
  static const std::map<std::string, int> ranks = {
      {"draft", 0}, {"open", 1}, {"uncollectible", 2}, {"paid", 3}, {"void", 3}};
  auto it = ranks.find(status);
  return it == ranks.end() ? -1 : it->second;
}

/// invoice_lines_json is the invoice's lines as jsonb_to_recordset rows.
std::string invoice_lines_json(const Json& object) {
  Json lines = Json::array();
  const auto& list = object_at(object, "lines");
  auto data = list.find("data");
  if (data == list.end() || !data->is_array()) return lines.dump();
  int position = 0;
  for (const auto& line : *data) {
    if (!line.is_object()) continue;
    auto quantity =
        line.contains("quantity") && line["quantity"].is_number_integer() ? line["quantity"].get<std::int64_t>() : 1;
    auto amount = amount_at(line, "amount");
    // The unit price: the price's own, else the amount shared out (a decimal unit price keeps its whole part).
    std::int64_t unit = quantity != 0 ? amount / quantity : amount;
    auto unit_decimal = text_at(object_at(line, "pricing"), "unit_amount_decimal");
    if (!unit_decimal.empty() && unit_decimal.find_first_not_of("0123456789.") == std::string::npos &&
        unit_decimal.front() != '.')
      unit = std::stoll(unit_decimal.substr(0, unit_decimal.find('.')));
    else if (auto n = number_at(object_at(line, "price"), "unit_amount"))
      unit = std::stoll(*n);
    const auto& period = object_at(line, "period");
    lines.push_back({{"position", ++position},
                     {"description", text_at(line, "description")},
                     {"quantity", quantity},
                     {"unit_amount", unit},
                     {"amount", amount},
                     {"period_start", period.contains("start") ? period["start"] : Json()},
                     {"period_end", period.contains("end") ? period["end"] : Json()}});
  }
  return lines.dump();
}

StripeEventOutcome apply_invoice(pqxx::dbtransaction& tx, Session& session, const Event& e) {
  const auto& object = *e.object;
  auto invoice = text_at(object, "id");
  if (invoice.empty()) throw Unapplicable{"the invoice has no id"};
  auto status = text_at(object, "status");
  if (invoice_rank(status) < 0) throw Unapplicable{"invoice " + invoice + " has status '" + status + "'"};
  auto currency = text_at(object, "currency");
  for (auto& c : currency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (currency.size() != 3) throw Unapplicable{"invoice " + invoice + " has no currency"};
  // The subscription moved under parent.subscription_details in Stripe's 2025 API; older events carry it on top.
  auto sub = id_of(object_at(object_at(object, "parent"), "subscription_details"), "subscription");
  if (sub.empty()) sub = id_of(object, "subscription");
  auto row = subscription_for(tx, sub, id_of(object, "customer"), std::nullopt);
  if (!row) return {"ignored", "invoice " + invoice + " belongs to no subscription wfa knows"};
  auto existing = tx.exec_params(
      "SELECT id, extract(epoch FROM stripe_updated)::bigint, status FROM invoices WHERE stripe_invoice_id = $1 FOR"
      " UPDATE",
      invoice);
  std::string before;
  if (!existing.empty()) {
    auto stored = existing[0][1].as<std::int64_t>();
    auto rank = invoice_rank(existing[0][2].as<std::string>());
    if (stored > e.created || (stored == e.created && invoice_rank(status) <= rank))
      return {"stale", "invoice " + invoice + " holds newer state than this event"};
    before = row_json(tx, "invoices", existing[0][0].as<std::string>());
  }
  auto tax = number_at(object, "tax") ? amount_at(object, "tax") : 0;
  if (!number_at(object, "tax") && object.contains("total_taxes") && object["total_taxes"].is_array())
    for (const auto& t : object["total_taxes"])
      if (t.is_object()) tax += amount_at(t, "amount");
  const auto& transitions = object_at(object, "status_transitions");
  auto id =
      tx.exec_params(
            "INSERT INTO invoices (source, subject_type, subject_id, partner_id, subscription_id, number,"
            " currency, subtotal, tax, total, amount_paid, amount_due, status, period_start, period_end,"
            " issued_at, paid_at, voided_at, payment_failures, stripe_invoice_id, hosted_invoice_url,"
            " stripe_updated) VALUES ('stripe', $1, $2::uuid, $3::uuid, $4::uuid, NULLIF($5, ''), $6, $7, $8,"
            " $9, $10, $11, $12, to_timestamp($13::double precision), to_timestamp($14::double precision),"
            " to_timestamp($15::double precision), to_timestamp($16::double precision), to_timestamp($17::double"
            " precision), $18, $19, NULLIF($20, ''), to_timestamp($21::double precision)) ON CONFLICT"
            " (stripe_invoice_id) DO UPDATE SET number = EXCLUDED.number, currency = EXCLUDED.currency,"
            " subtotal = EXCLUDED.subtotal, tax = EXCLUDED.tax, total = EXCLUDED.total, amount_paid ="
            " EXCLUDED.amount_paid, amount_due = EXCLUDED.amount_due, status = EXCLUDED.status, period_start ="
            " EXCLUDED.period_start, period_end = EXCLUDED.period_end, issued_at = coalesce(EXCLUDED.issued_at,"
            " invoices.issued_at), paid_at = coalesce(EXCLUDED.paid_at, invoices.paid_at), voided_at ="
            " coalesce(EXCLUDED.voided_at, invoices.voided_at), payment_failures = invoices.payment_failures +"
            " EXCLUDED.payment_failures, hosted_invoice_url = coalesce(EXCLUDED.hosted_invoice_url,"
            " invoices.hosted_invoice_url), stripe_updated = EXCLUDED.stripe_updated RETURNING id",
            row->subject_type, row->subject_id, row->partner_id, row->id, text_at(object, "number"), currency,
            amount_at(object, "subtotal"), tax, amount_at(object, "total"), amount_at(object, "amount_paid"),
            amount_at(object, "amount_due"), status, number_at(object, "period_start"), number_at(object, "period_end"),
            number_at(transitions, "finalized_at"), number_at(transitions, "paid_at"),
            number_at(transitions, "voided_at"), e.type == "invoice.payment_failed" ? 1 : 0, invoice,
            text_at(object, "hosted_invoice_url"), std::to_string(e.created))[0][0]
          .as<std::string>();
  tx.exec_params("DELETE FROM invoice_lines WHERE invoice_id = $1::uuid", id);
  tx.exec_params(
      "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_amount, amount, period_start,"
      " period_end) SELECT $1::uuid, l.position, l.description, l.quantity, l.unit_amount, l.amount,"
      " to_timestamp(l.period_start), to_timestamp(l.period_end) FROM jsonb_to_recordset($2::jsonb) AS l(position int,"
      " description text, quantity bigint, unit_amount bigint, amount bigint, period_start double precision,"
      " period_end double precision)",
      id, invoice_lines_json(object));
  audit(tx, session, e, "billing.invoice.stripe", "invoice", id, row->partner_id,
        workspace_of(row->subject_type, row->subject_id), "invoices", before);
  return {"applied",
          "invoice " + invoice + ": " + status + (e.type == "invoice.payment_failed" ? " (a payment failed)" : "")};
}

/// apply_credit_grant turns a Stripe credit grant into a `grant` row of its subject's credit ledger (created: the
/// amount; voided or expired: the amount taken back), keyed by the grant's id so a redelivery adds nothing.
StripeEventOutcome apply_credit_grant(pqxx::dbtransaction& tx, const Event& e) {
  const auto& object = *e.object;
  auto grant = text_at(object, "id");
  const auto& monetary = object_at(object_at(object, "amount"), "monetary");
  auto cents = amount_at(monetary, "value");
  if (grant.empty() || cents <= 0) throw Unapplicable{"the credit grant has no id or no monetary amount"};
  bool taken_back = e.type == "billing.credit_grant.voided" || e.type == "billing.credit_grant.expired";
  if (!taken_back && e.type != "billing.credit_grant.created") return {"ignored", e.type + " changes no balance"};
  auto subject = metadata_subject(tx, object);
  if (!subject)
    if (auto row = subscription_for(tx, "", id_of(object, "customer"), std::nullopt))
      subject = Subject{row->subject_type, row->subject_id, row->partner_id};
  if (!subject) return {"ignored", "credit grant " + grant + " names no partner or workspace of wfa"};
  bool workspace = subject->type == "workspace";
  auto ledger = std::string(workspace ? "workspace_credits" : "billing_credits");
  auto key_column = std::string(workspace ? "workspace_id" : "partner_id");
  if (taken_back &&
      tx.exec_params("SELECT 1 FROM " + ledger + " WHERE " + key_column + " = $1::uuid AND idempotency_key = $2",
                     subject->id, "stripe-grant:" + grant)
          .empty())
    return {"ignored", "credit grant " + grant + " was never applied"};
  auto added = tx.exec_params("INSERT INTO " + ledger + " (" + key_column +
                                  ", amount_cents, reason, reference, idempotency_key, actor) VALUES ($1::uuid, $2,"
                                  " 'grant', $3, $4, 'stripe') ON CONFLICT (" +
                                  key_column + ", idempotency_key) DO NOTHING RETURNING balance_after_cents",
                              subject->id, taken_back ? -cents : cents, grant,
                              (taken_back ? "stripe-grant-end:" : "stripe-grant:") + grant);
  if (added.empty()) return {"applied", "credit grant " + grant + " was already in the ledger"};
  if (workspace) settle_credit_states(tx, subject->id, "stripe");
  return {"applied", std::string(taken_back ? "took back " : "granted ") + signed_amount(cents) + " to the credit of " +
                         subject->type + " " + subject->id};
}

StripeEventOutcome dispatch(pqxx::dbtransaction& tx, Session& session, const Event& e) {
  const auto& t = e.type;
  if (t == "checkout.session.completed") return apply_checkout(tx, session, e);
  if (t.rfind("customer.subscription.", 0) == 0) return apply_subscription(tx, session, e);
  if (t == "invoice.created" || t == "invoice.finalized" || t == "invoice.paid" || t == "invoice.payment_succeeded" ||
      t == "invoice.payment_failed" || t == "invoice.voided" || t == "invoice.marked_uncollectible" ||
      t == "invoice.updated")
    return apply_invoice(tx, session, e);
  if (t == "charge.refunded")
    return {"recorded", "refund of " + std::to_string(amount_at(*e.object, "amount_refunded")) + " " +
                            text_at(*e.object, "currency") + " minor units on " + text_at(*e.object, "id") +
                            "; credits are the credits ledger's to apply"};
  if (t.rfind("billing.credit_grant.", 0) == 0) return apply_credit_grant(tx, e);
  return {"ignored", t + " is not an event billing acts on"};
}

}  // namespace

StripeEventOutcome apply_stripe_event(pqxx::dbtransaction& tx, Session& session, const std::string& body,
                                      const std::string& source) {
  auto json = parse_json_input(body, "the Stripe event", source, max_event_bytes,
                               "give one Stripe event object as Stripe sends it");
  auto refuse = [&](const std::string& what) {
    throw InvalidInputError("the Stripe event in " + source + " " + what,
                            "give one Stripe event object: id, type, created and data.object");
  };
  if (!json.is_object() || text_at(json, "object") != "event") refuse("is not an event object (\"object\": \"event\")");
  Event e;
  e.id = text_at(json, "id");
  e.type = text_at(json, "type");
  if (e.id.empty() || e.id.size() > 255) refuse("has no id");
  if (e.type.empty() || e.type.size() > 255) refuse("has no type");
  if (!number_at(json, "created")) refuse("has no created time");
  e.created = json["created"].get<std::int64_t>();
  const auto& data = object_at(json, "data");
  if (!data.contains("object") || !data["object"].is_object()) refuse("has no data.object");
  e.object = &data["object"];
  auto stored = tx.exec_params(
      "INSERT INTO payment_events (provider, event_id, event_type, payload, object_id, object_created, event_created)"
      " VALUES ('stripe', $1, $2, $3::jsonb, NULLIF($4, ''), to_timestamp($5::double precision), "
      "to_timestamp($6::double"
      " precision)) ON CONFLICT (provider, event_id) DO NOTHING RETURNING id",
      e.id, e.type, json.dump(), text_at(*e.object, "id"), number_at(*e.object, "created"), std::to_string(e.created));
  if (stored.empty()) {
    auto was = tx.exec_params(
        "SELECT coalesce(outcome, 'pending') FROM payment_events WHERE provider = 'stripe' AND"
        " event_id = $1",
        e.id);
    return {"duplicate", "event " + e.id + " was applied before (" + was[0][0].as<std::string>() + "); nothing changed",
            e.id, e.type};
  }
  StripeEventOutcome o;
  try {
    o = dispatch(tx, session, e);
  } catch (const Unapplicable& u) {
    o = {"failed", u.reason};
  }
  o.event_id = e.id;
  o.event_type = e.type;
  tx.exec_params(
      "UPDATE payment_events SET processed_at = now(), outcome = $2, error = NULLIF($3, '') WHERE id = $1::uuid",
      stored[0][0].as<std::string>(), o.outcome, o.outcome == "failed" ? o.detail : "");
  return o;
}

}  // namespace wfa
