// `wfa calling-rules list|set|check`.
#include "commands/calling_rules/calling_rules.hpp"

#include <cctype>

#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "core/utc_time.hpp"
#include "core/validation.hpp"
#include "commands/tenancy/actor.hpp"
#include "pipelines/phone.hpp"

namespace wfa {

namespace {

constexpr const char* rule_columns =
    "country, array_to_string(days, ',') AS days, to_char(window_start, 'HH24:MI') AS window_start,"
    " to_char(window_end, 'HH24:MI') AS window_end, max_attempts_per_day, max_attempts_per_week,"
    " refusal_ends_contact, ai_consent_required, recording_notice_required, registered_caller_required, source";

/// minute_of reads HH:MM (00:00 … 24:00) as minutes after midnight; anything else is InvalidInputError naming FIELD.
int minute_of(const std::string& field, const std::string& text) {
  bool shape = text.size() == 5 && text[2] == ':' && std::isdigit(static_cast<unsigned char>(text[0])) &&
               std::isdigit(static_cast<unsigned char>(text[1])) && std::isdigit(static_cast<unsigned char>(text[3])) &&
               std::isdigit(static_cast<unsigned char>(text[4]));
  int minutes = shape ? std::stoi(text.substr(0, 2)) * 60 + std::stoi(text.substr(3, 2)) : -1;
  if (!shape || std::stoi(text.substr(3, 2)) > 59 || minutes > 24 * 60)
    throw InvalidInputError(field + " '" + text + "' is not a time of day HH:MM", "e.g. " + field + " 09:00");
  return minutes;
}

std::string hhmm(int minutes) {
  auto two = [](int n) { return std::string(n < 10 ? "0" : "") + std::to_string(n); };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

/// check_country accepts "default" or an ISO code libphonenumber has a numbering plan for (upper-cased).
std::string check_country(const std::string& country) {
  if (country == "default") return country;
  if (auto iso = phone_country(country)) return *iso;
  throw InvalidInputError("country '" + country + "' is not an ISO 3166 code with a numbering plan",
                          "give a two-letter code such as AE or US, or 'default'");
}

CallingRules rules_of(const pqxx::row& row) {
  CallingRules r;
  r.country = row["country"].as<std::string>();
  r.window.days = day_list(row["days"].as<std::string>()).value_or(0);
  r.window.start_minute = minute_of("window_start", row["window_start"].as<std::string>());
  r.window.end_minute = minute_of("window_end", row["window_end"].as<std::string>());
  r.max_attempts_per_day = row["max_attempts_per_day"].as<int>();
  r.max_attempts_per_week = row["max_attempts_per_week"].as<int>();
  r.refusal_ends_contact = row["refusal_ends_contact"].as<bool>();
  r.ai_consent_required = row["ai_consent_required"].as<bool>();
  r.recording_notice_required = row["recording_notice_required"].as<bool>();
  r.registered_caller_required = row["registered_caller_required"].as<bool>();
  return r;
}

}  // namespace

CallingRules rules_for_country(pqxx::transaction_base& tx, const std::string& country) {
  auto rows = tx.exec_params(std::string("SELECT ") + rule_columns +
                                 " FROM calling_rules WHERE country IN ($1, 'default') ORDER BY country = 'default'"
                                 " LIMIT 1",
                             country);
  if (rows.empty())
    throw ConflictError("no calling rules for " + country + " and no default row",
                        "set them with `wfa calling-rules set default ...`");
  return rules_of(rows[0]);
}

LawCheck check_law(pqxx::transaction_base& tx, const std::string& e164, const std::string& timezone, Instant at) {
  LawCheck c;
  c.e164 = e164;
  c.at = at;
  c.place = place_of(e164, timezone);
  c.rules = rules_for_country(tx, c.place.country);
  c.allowed = allowed_at(c.rules.window, c.place.zones, at);
  c.next = c.allowed ? std::optional<Instant>(at) : next_allowed(c.rules.window, c.place.zones, at);
  return c;
}

void require_law_allows(const LawCheck& c) {
  if (c.allowed) return;
  auto utc = [](Instant i) { return utc_text(i.time_since_epoch().count() * 1000); };
  std::string days;
  for (const auto& d : day_names(c.rules.window.days)) days += (days.empty() ? "" : ",") + d;
  std::string hours = hhmm(c.rules.window.start_minute) + "-" + hhmm(c.rules.window.end_minute) +
                      (c.rules.window.days == 0x7f ? "" : " on " + (days.empty() ? std::string("no day") : days));
  auto whose = c.rules.country == "default" ? std::string("the default") : c.rules.country;
  if (c.place.zones.empty())
    throw ConflictError(c.e164 + " may not be called: no time zone is known for it, so " + whose + " calling hours (" +
                            hours + " local) cannot be kept",
                        "the calling rules hold for every call; nothing overrides them");
  // Name the first zone where the instant falls outside the window: that is the local time the law is broken in.
  std::string zone = c.place.zones.front();
  for (const auto& z : c.place.zones)
    if (!allowed_at(c.rules.window, {z}, c.at)) {
      zone = z;
      break;
    }
  auto local = local_time(zone, c.at);
  throw ConflictError(c.e164 + " may not be called now: it is " +
                          day_names(static_cast<std::uint8_t>(1u << local.weekday)).front() + " " + hhmm(local.minute) +
                          " in " + zone + ", outside " + whose + " calling hours (" + hours + " local)" +
                          (c.next ? "; next allowed " + utc(*c.next) : "; no time allowed in the next week"),
                      "the calling rules hold for every call, test calls too; nothing overrides them");
}

Result run_calling_rules_list(const CallingRulesListOptions& o, Session& session) {
  auto tx = list_transaction(session);
  ListQuery query("calling-rules list", "rules");
  query.select(rule_columns)
      .from("calling_rules")
      .order_by({{"country", "text"}})
      .when_empty("no calling rules (not even the default row)");
  return list_rows(tx, query, o.paging, session);
}

Result run_calling_rules_set(const CallingRulesSetOptions& o, Session& session) {
  auto country = check_country(o.country);
  std::optional<std::vector<std::string>> days;
  if (o.days) {
    auto bits = day_list(*o.days);
    if (!bits || *bits == 0)
      throw InvalidInputError("--days '" + *o.days + "' is not a list of weekdays", "e.g. --days mon,tue,wed,thu,fri");
    days = day_names(*bits);
  }
  std::optional<std::string> from, to;
  if (o.from) from = hhmm(minute_of("--from", *o.from));
  if (o.to) to = hhmm(minute_of("--to", *o.to));
  if (o.per_day && *o.per_day < 1) throw InvalidInputError("--per-day must be at least 1", "give 1 or more");
  std::optional<std::string> source;
  if (o.source) source = check_display_name("--source", *o.source, "one line naming the law, at most 200 characters");
  pqxx::work tx(session.database().ready());
  require_super_admin(actor_of(tx, session), "change the calling rules");
  auto before = tx.exec_params(
      "SELECT to_jsonb(r) - 'created_at' - 'updated_at' FROM calling_rules r WHERE country = $1", country);
  if (before.empty() && (!days || !from || !to || !o.per_day || !o.per_week || !o.refusal_ends_contact))
    throw UsageError(
        "calling rules for a new country need --days, --from, --to, --per-day, --per-week and"
        " --refusal-ends-contact",
        "e.g. wfa calling-rules set " + country +
            " --days mon,tue,wed,thu,fri --from 09:00 --to 18:00 --per-day 1 --per-week 2"
            " --refusal-ends-contact true");
  auto text = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
  auto flag = [](const std::optional<bool>& b) -> std::optional<std::string> {
    if (!b) return std::nullopt;
    return *b ? "true" : "false";
  };
  auto number = [](const std::optional<int>& n) -> std::optional<std::string> {
    if (!n) return std::nullopt;
    return std::to_string(*n);
  };
  std::optional<std::string> day_array;
  if (days) {
    day_array = "{";
    for (std::size_t i = 0; i < days->size(); ++i) *day_array += (i ? "," : "") + (*days)[i];
    *day_array += "}";
  }
  try {
    // An existing row is updated field by field; a new one is inserted whole (checked complete above).
    const char* sql =
        before.empty() ? "INSERT INTO calling_rules (country, days, window_start, window_end, max_attempts_per_day,"
                         " max_attempts_per_week, refusal_ends_contact, ai_consent_required, recording_notice_required,"
                         " registered_caller_required, source, updated_by) VALUES ($1, $2::text[], $3::time, $4::time,"
                         " $5::smallint, $6::smallint, $7::boolean, COALESCE($8::boolean, false), COALESCE($9::boolean,"
                         " false), COALESCE($10::boolean, false), $11, $12)"
                       : "UPDATE calling_rules SET days = COALESCE($2::text[], days), window_start = COALESCE($3::time,"
                         " window_start), window_end = COALESCE($4::time, window_end), max_attempts_per_day ="
                         " COALESCE($5::smallint, max_attempts_per_day), max_attempts_per_week = COALESCE($6::smallint,"
                         " max_attempts_per_week), refusal_ends_contact = COALESCE($7::boolean, refusal_ends_contact),"
                         " ai_consent_required = COALESCE($8::boolean, ai_consent_required), recording_notice_required"
                         " = COALESCE($9::boolean, recording_notice_required), registered_caller_required ="
                         " COALESCE($10::boolean, registered_caller_required), source = COALESCE($11, source),"
                         " updated_by = $12 WHERE country = $1";
    tx.exec_params(sql, country, text(day_array), text(from), text(to), number(o.per_day), number(o.per_week),
                   flag(o.refusal_ends_contact), flag(o.ai_consent), flag(o.recording_notice),
                   flag(o.registered_caller), text(source), session.actor());
  } catch (const pqxx::check_violation&) {
    throw InvalidInputError("the calling rules of " + country + " would be inconsistent",
                            "--to must be after --from and --per-week at least --per-day");
  }
  auto after =
      tx.exec_params("SELECT to_jsonb(r) - 'created_at' - 'updated_at' FROM calling_rules r WHERE country = $1",
                     country)[0][0]
          .as<std::string>();
  Result r;
  r.fields = to_fields(
      tx.exec_params(std::string("SELECT ") + rule_columns + " FROM calling_rules WHERE country = $1", country));
  auto old = before.empty() ? std::string() : before[0][0].as<std::string>();
  if (!old.empty() && !row_changed(tx, old, after)) {
    tx.abort();
    r.message = "the calling rules of " + country + " already say this; nothing changed";
    return r;
  }
  record_audit(
      tx, {session.actor(), "calling_rules.set", "calling_rules", country, std::nullopt, std::nullopt, old, after, ""});
  return commit_or_roll_back(tx, std::move(r), o.dry_run, "set the calling rules of " + country,
                             "would set the calling rules of " + country);
}

Result run_calling_rules_check(const CallingRulesCheckOptions& o, Session& session) {
  std::string e164;
  if (auto reading = PhoneReader({}, PhoneUse::contact).read(o.phone, e164); !reading.problem.empty())
    throw InvalidInputError("PHONE '" + o.phone + "': " + reading.problem,
                            "give the number in E.164, e.g. +971501234567");
  if (o.timezone && !is_time_zone(*o.timezone))
    throw InvalidInputError("--timezone '" + *o.timezone + "' is not a time zone tzdata knows",
                            "give a zone such as Asia/Dubai or America/Chicago");
  pqxx::read_transaction tx(session.read_database().ready());
  auto at = std::chrono::floor<std::chrono::seconds>(session.now());
  if (o.at) {
    auto epoch = tx.exec_params("SELECT floor(extract(epoch FROM $1::timestamptz))::bigint",
                                check_timestamp("--at", *o.at))[0][0]
                     .as<std::int64_t>();
    at = Instant(std::chrono::seconds(epoch));
  }
  auto law = check_law(tx, e164, o.timezone.value_or(""), at);
  const auto& place = law.place;
  const auto& rules = law.rules;
  auto allowed = law.allowed;
  const auto& next = law.next;
  auto utc = [](Instant i) { return utc_text(i.time_since_epoch().count() * 1000); };
  std::string zones;
  for (const auto& z : place.zones) zones += (zones.empty() ? "" : ",") + z;
  Result r;
  r.fields = {{"phone", Cell(e164)},
              {"country", Cell(place.country.empty() ? std::string("unknown") : place.country)},
              {"rules", Cell(rules.country)},
              {"zones", Cell(zones)},
              {"at", Cell(utc(at))},
              {"allowed", Cell(allowed)},
              {"next_allowed", next ? Cell(utc(*next)) : Cell()},
              {"days", Cell([&] {
                 std::string d;
                 for (const auto& n : day_names(rules.window.days)) d += (d.empty() ? "" : ",") + n;
                 return d;
               }())},
              {"window", Cell(hhmm(rules.window.start_minute) + "-" + hhmm(rules.window.end_minute))},
              {"max_attempts_per_day", Cell(rules.max_attempts_per_day)},
              {"max_attempts_per_week", Cell(rules.max_attempts_per_week)},
              {"refusal_ends_contact", Cell(rules.refusal_ends_contact)}};
  if (place.zones.empty()) r.message = "no time zone is known for " + e164 + "; give --timezone";
  return r;
}

}  // namespace wfa
