// Call objects of VAPI, Retell and Synthflow to conversation rows, read on demand with simdjson (no DOM per call).
#include "pipelines/calls/call_row.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>

#include "core/utc_time.hpp"
#include "pipelines/calls/call_outcome.hpp"
#include "pipelines/calls/json_records.hpp"

namespace wfa {

const std::array<const char*, call_column_count> call_column_names = {
    "provider",   "external_call_id",  "external_agent_id", "direction",     "status",     "phone_number",
    "started_at", "ended_at",          "duration_seconds",  "recording_url", "transcript", "summary",
    "sentiment",  "total_cost_micros", "cost_breakdown",    "ended_reason",  "metadata",   "outcome"};

namespace {

using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

/// Fault is a record that cannot become a row; its message names the field.
struct Fault {
  std::string message;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

/// text reads a string (or a number's token, which some payloads send for ids); null is nullopt.
std::optional<std::string_view> text(value v, const char* field) {
  json_type type;
  if (v.type().get(type)) throw Fault{std::string(field) + " is not valid JSON"};
  if (type == json_type::null) return std::nullopt;
  if (type == json_type::number) return trim(v.raw_json_token());
  std::string_view s;
  if (type != json_type::string || v.get_string().get(s)) throw Fault{std::string(field) + " is not a string"};
  if (s.find('\0') != std::string_view::npos) throw Fault{std::string(field) + " holds a NUL character"};
  return s;
}

/// raw is a value's JSON text as the record has it (objects and arrays whole); null is nullopt.
std::optional<std::string_view> raw(value v, const char* field) {
  json_type type;
  if (v.type().get(type)) throw Fault{std::string(field) + " is not valid JSON"};
  std::string_view out;
  switch (type) {
    case json_type::null:
      return std::nullopt;
    case json_type::object: {
      simdjson::ondemand::object o;
      if (v.get_object().get(o) || o.raw_json().get(out)) throw Fault{std::string(field) + " is not valid JSON"};
      break;
    }
    case json_type::array: {
      simdjson::ondemand::array a;
      if (v.get_array().get(a) || a.raw_json().get(out)) throw Fault{std::string(field) + " is not valid JSON"};
      break;
    }
    default:
      return trim(v.raw_json_token());
  }
  if (out.find("\\u0000") != std::string_view::npos) throw Fault{std::string(field) + " holds a NUL character"};
  return out;
}

std::optional<std::int64_t> integer(value v, const char* field) {
  json_type type;
  if (v.type().get(type)) throw Fault{std::string(field) + " is not valid JSON"};
  if (type == json_type::null) return std::nullopt;
  if (type == json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) throw Fault{std::string(field) + " is not valid JSON"};
    std::int64_t n = 0;
    if (s.empty() || s.size() > 18) throw Fault{std::string(field) + " is not a whole number"};
    for (char c : s) {
      if (c < '0' || c > '9') throw Fault{std::string(field) + " is not a whole number"};
      n = n * 10 + (c - '0');
    }
    return n;
  }
  double d;
  if (v.get_double().get(d) || d < 0 || d > 9e15) throw Fault{std::string(field) + " is not a whole number"};
  return static_cast<std::int64_t>(d);
}

void quote(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\', out += static_cast<char>(c);
    } else if (c < 0x20) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\u%04x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

/// Metadata builds the metadata object from the members the record has.
class Metadata {
 public:
  void raw(const char* key, std::optional<std::string_view> json) {
    if (!json) return;
    out_ += out_.empty() ? "{" : ",";
    quote(out_, key);
    out_ += ':';
    out_ += *json;
  }
  void text(const char* key, std::optional<std::string_view> s) {
    if (!s) return;
    std::string quoted;
    quote(quoted, *s);
    raw(key, quoted);
  }
  std::string done() const { return out_.empty() ? "{}" : out_ + "}"; }

 private:
  std::string out_;
};

/// Row collects one call's values before they go onto the batch.
struct Row {
  std::array<std::optional<std::string>, call_column_count> values;
  void set(CallColumn c, std::optional<std::string_view> v) {
    if (v) values[c] = std::string(*v);
  }
};

/// Times are the call's start and end in epoch milliseconds, and the duration they or the provider give.
void set_times(Row& row, std::optional<std::int64_t> started, std::optional<std::int64_t> ended,
               std::optional<std::int64_t> duration_ms) {
  if (started) row.values[call_started_at] = utc_text(*started);
  if (ended) row.values[call_ended_at] = utc_text(*ended);
  std::int64_t ms = duration_ms ? *duration_ms : (started && ended && *ended > *started ? *ended - *started : 0);
  row.values[call_duration_seconds] = std::to_string(ms / 1000);
}

std::optional<std::int64_t> iso_field(std::optional<std::string_view> s, const char* field) {
  if (!s) return std::nullopt;
  auto ms = iso8601_ms(*s);
  if (!ms) throw Fault{std::string(field) + " is not an ISO 8601 time"};
  return ms;
}

bool has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// VAPI: status and endedReason to wfa's statuses (endedReason is an open set; unknown ends are completed).
std::string vapi_status(std::optional<std::string_view> status, std::optional<std::string_view> reason, bool ended) {
  std::string_view s = status.value_or(ended ? "ended" : "");
  if (s == "scheduled" || s == "queued") return "initiated";
  if (s == "ringing") return "ringing";
  if (s == "in-progress" || s == "forwarding") return "in_progress";
  if (s == "not-found" || s == "deletion-failed") return "failed";
  if (s != "ended") return "initiated";
  std::string_view r = reason.value_or("");
  if (has(r, "did-not-answer") || has(r, "no-answer")) return "no_answer";
  if (has(r, "busy")) return "busy";
  if (r == "manually-canceled") return "canceled";
  if (has(r, "error") || has(r, "failed")) return "failed";
  return "completed";
}

std::string retell_status(std::optional<std::string_view> status, std::optional<std::string_view> reason) {
  std::string_view s = status.value_or("");
  if (s == "registered") return "initiated";
  if (s == "ongoing") return "in_progress";
  if (s == "not_connected" || s == "error") return "failed";
  std::string_view r = reason.value_or("");
  if (r == "dial_no_answer" || r == "registered_call_timeout") return "no_answer";
  if (r == "dial_busy") return "busy";
  if (r == "user_declined" || r == "manual_stopped") return "canceled";
  if (r == "dial_failed" || r == "invalid_destination" || r.rfind("error_", 0) == 0 || r.rfind("telephony_", 0) == 0 ||
      r == "sip_routing_error" || r == "concurrency_limit_reached" || r == "no_valid_payment")
    return "failed";
  return s == "ended" ? "completed" : "initiated";
}

std::string synthflow_status(std::optional<std::string_view> status) {
  std::string_view s = status.value_or("completed");
  if (s == "pending" || s == "paused" || s == "registered") return "initiated";
  if (s == "ringing") return "ringing";
  if (s == "in-progress") return "in_progress";
  if (s == "no-answer") return "no_answer";
  if (s == "busy") return "busy";
  if (s == "canceled" || s == "user-canceled") return "canceled";
  if (s == "failed" || s == "spam") return "failed";
  return "completed";
}

std::optional<std::string> direction_of(std::optional<std::string_view> s) {
  if (!s) return std::nullopt;
  if (*s == "outboundPhoneCall" || *s == "outbound") return "outbound";
  if (*s == "inboundPhoneCall" || *s == "inbound") return "inbound";
  if (*s == "webCall" || *s == "vapi.websocketCall" || *s == "web_call") return "web";
  return std::nullopt;
}

using Text = std::optional<std::string_view>;
using Number = std::optional<std::int64_t>;

/// AttemptReport is what a call tells the dial that placed it: the attempt id it carried and, once ended, its outcome.
struct AttemptReport {
  std::optional<std::string> attempt_id;
  std::optional<std::string> outcome;
  /// look takes the first attempt id found in the JSON texts, in order.
  void look(std::initializer_list<Text> sources) {
    for (const auto& json : sources)
      if (!attempt_id && json) attempt_id = attempt_id_in(*json);
  }
  void ended(std::string_view provider, std::string_view status, std::string_view reason, Text analysis) {
    outcome = outcome_name(call_outcome(provider, status, reason, analysis_flags(analysis.value_or(""))));
  }
  /// put writes the outcome to its column and the attempt id into the call's metadata, where the merge reads it.
  void put(Row& row, Metadata& meta) const {
    if (outcome) row.values[call_campaign_outcome] = *outcome;
    meta.text("wfa_attempt_id", attempt_id);
  }
};

/// Fields binds the keys of one JSON object to where their values go: strings, raw JSON, whole numbers, or a nested
/// object read the same way. Keys not bound are skipped.
struct Fields {
  std::vector<std::pair<const char*, Text*>> text;
  std::vector<std::pair<const char*, Text*>> raw;
  std::vector<std::pair<const char*, Number*>> number;
  std::vector<std::pair<const char*, Fields*>> object;

  void read(simdjson::ondemand::object o, const std::string& where) {
    for (auto field : o) {
      std::string_view key;
      if (field.unescaped_key().get(key)) throw Fault{where + "a key is not valid JSON"};
      value v = field.value();
      auto name = [&](const char* k) { return where + k; };
      if (bind(text, key, [&](const char* k, Text* into) { *into = wfa::text(v, name(k).c_str()); })) continue;
      if (bind(raw, key, [&](const char* k, Text* into) { *into = wfa::raw(v, name(k).c_str()); })) continue;
      if (bind(number, key, [&](const char* k, Number* into) { *into = integer(v, name(k).c_str()); })) continue;
      bind(object, key, [&](const char* k, Fields* inner) {
        json_type type;
        if (v.type().get(type)) throw Fault{name(k) + " is not valid JSON"};
        if (type == json_type::null) return;
        simdjson::ondemand::object nested;
        if (type != json_type::object || v.get_object().get(nested)) throw Fault{name(k) + " is not an object"};
        inner->read(nested, name(k) + ".");
      });
    }
  }

 private:
  template <class T, class F>
  static bool bind(const std::vector<std::pair<const char*, T*>>& fields, std::string_view key, F&& apply) {
    for (const auto& [k, into] : fields)
      if (key == k) {
        apply(k, into);
        return true;
      }
    return false;
  }
};

}  // namespace

struct CallNormalizer::Impl {
  std::string provider;
  simdjson::ondemand::parser parser, inner;

  simdjson::ondemand::object open(simdjson::ondemand::parser& p, std::string_view json, std::size_t capacity,
                                  simdjson::ondemand::document& doc) {
    if (p.iterate(json.data(), json.size(), capacity).get(doc)) throw Fault{"the record is not valid JSON"};
    simdjson::ondemand::object o;
    if (doc.get_object().get(o)) throw Fault{"the record is not a JSON object"};
    return o;
  }

  /// read_inner reads JSON (raw text inside the record ending at RECORD_END) with the second parser, whose strings
  /// live apart from the record's.
  void read_inner(Text json, const char* record_end, Fields& fields, const std::string& where) {
    if (!json || json->empty() || json->front() != '{') return;
    simdjson::ondemand::document doc;
    auto capacity = static_cast<std::size_t>(record_end - json->data()) + JsonRecordReader::record_padding;
    fields.read(open(inner, *json, capacity, doc), where);
  }

  void vapi(simdjson::ondemand::object call, Row& row, const char* record_end) {
    Text id, assistant, org, phone_id, type, status, reason, started, ended, cost, breakdown, transcript, summary,
        recording, analysis, number, artifact_transcript, artifact_recording, analysis_summary, metadata, overrides,
        structured;
    Fields customer{{{"number", &number}}, {}, {}, {}};
    Fields artifact{{{"transcript", &artifact_transcript}, {"recordingUrl", &artifact_recording}}, {}, {}, {}};
    Fields fields{{{"id", &id},
                   {"assistantId", &assistant},
                   {"type", &type},
                   {"status", &status},
                   {"startedAt", &started},
                   {"endedAt", &ended},
                   {"endedReason", &reason},
                   {"transcript", &transcript},
                   {"summary", &summary},
                   {"recordingUrl", &recording}},
                  {{"orgId", &org},
                   {"phoneNumberId", &phone_id},
                   {"cost", &cost},
                   {"costBreakdown", &breakdown},
                   {"analysis", &analysis},
                   {"metadata", &metadata},
                   {"assistantOverrides", &overrides}},
                  {},
                  {{"customer", &customer}, {"artifact", &artifact}}};
    fields.read(call, "");
    Fields analysis_fields{{{"summary", &analysis_summary}}, {{"structuredData", &structured}}, {}, {}};
    read_inner(analysis, record_end, analysis_fields, "analysis.");
    AttemptReport campaign;
    campaign.look({metadata, overrides});
    if (status.value_or(ended ? "ended" : "") == "ended")
      campaign.ended("vapi", "ended", reason.value_or(""), structured);
    row.set(call_external_id, id);
    row.set(call_external_agent_id, assistant);
    row.set(call_phone_number, number);
    row.set(call_cost_breakdown, breakdown);
    row.set(call_transcript, artifact_transcript ? artifact_transcript : transcript);
    row.set(call_summary, analysis_summary ? analysis_summary : summary);
    row.set(call_recording_url, artifact_recording ? artifact_recording : recording);
    row.set(call_ended_reason, reason);
    row.values[call_direction] = direction_of(type);
    row.values[call_status] = vapi_status(status, reason, ended.has_value());
    set_times(row, iso_field(started, "startedAt"), iso_field(ended, "endedAt"), std::nullopt);
    if (cost) {
      auto micros = decimal_micros(*cost, 0);
      if (!micros) throw Fault{"cost is not a non-negative number of dollars"};
      row.values[call_cost_micros] = std::to_string(*micros);
    }
    Metadata meta;
    meta.raw("orgId", org);
    meta.text("assistantId", assistant);
    meta.raw("phoneNumberId", phone_id);
    meta.text("type", type);
    meta.text("endedReason", reason);
    meta.text("recordingUrl", recording);
    meta.raw("analysis", analysis);
    campaign.put(row, meta);
    row.values[call_metadata] = meta.done();
  }

  void retell(simdjson::ondemand::object call, Row& row, const char* record_end) {
    Text id, agent, version, status, call_type, direction, from, to, transcript, recording, reason, analysis, cost,
        metadata, summary, sentiment, combined, custom_analysis, dynamic;
    Number started, ended, duration;
    Fields fields{{{"call_id", &id},
                   {"agent_id", &agent},
                   {"call_status", &status},
                   {"call_type", &call_type},
                   {"direction", &direction},
                   {"from_number", &from},
                   {"to_number", &to},
                   {"transcript", &transcript},
                   {"recording_url", &recording},
                   {"disconnection_reason", &reason}},
                  {{"agent_version", &version},
                   {"call_analysis", &analysis},
                   {"call_cost", &cost},
                   {"metadata", &metadata},
                   {"retell_llm_dynamic_variables", &dynamic}},
                  {{"start_timestamp", &started}, {"end_timestamp", &ended}, {"duration_ms", &duration}},
                  {}};
    fields.read(call, "");
    Fields analysis_fields{{{"call_summary", &summary}, {"user_sentiment", &sentiment}},
                           {{"custom_analysis_data", &custom_analysis}},
                           {},
                           {}};
    read_inner(analysis, record_end, analysis_fields, "call_analysis.");
    AttemptReport campaign;
    campaign.look({metadata, dynamic});
    if (status && (*status == "ended" || *status == "not_connected" || *status == "error"))
      campaign.ended("retell", *status, reason.value_or(*status == "ended" ? "" : "dial_failed"), custom_analysis);
    row.set(call_summary, summary);  // now: the next read_inner reuses the parser these strings live in
    row.set(call_sentiment, sentiment);
    Fields cost_fields{{}, {{"combined_cost", &combined}}, {}, {}};
    read_inner(cost, record_end, cost_fields, "call_cost.");
    if (combined) {
      auto micros = decimal_micros(*combined, 2);
      if (!micros) throw Fault{"call_cost.combined_cost is not a non-negative number of cents"};
      row.values[call_cost_micros] = std::to_string(*micros);
    }
    row.set(call_external_id, id);
    row.set(call_external_agent_id, agent);
    row.set(call_transcript, transcript);
    row.set(call_recording_url, recording);
    row.set(call_cost_breakdown, cost);
    row.set(call_ended_reason, reason);
    row.values[call_direction] =
        call_type && *call_type == "web_call" ? std::optional<std::string>("web") : direction_of(direction);
    row.set(call_phone_number, direction && *direction == "inbound" ? from : to);
    row.values[call_status] = retell_status(status, reason);
    set_times(row, started, ended, duration);
    Metadata meta;
    meta.raw("agent_version", version);
    meta.text("call_type", call_type);
    meta.raw("call_analysis", analysis);
    meta.raw("metadata", metadata);
    campaign.put(row, meta);
    row.values[call_metadata] = meta.done();
  }

  void synthflow(simdjson::ondemand::object call, Row& row) {
    Text id, model, api_status, status, type, from, to, lead, start, transcript, recording, reason, lead_name, name,
        campaign_type, labels, collected, custom_variables, prompt_variables, metadata;
    Number duration;
    Fields fields{{{"call_id", &id},
                   {"model_id", &model},
                   {"call_status", &api_status},
                   {"status", &status},
                   {"type_of_call", &type},
                   {"phone_number_from", &from},
                   {"phone_number_to", &to},
                   {"lead_phone_number", &lead},
                   {"start_time", &start},
                   {"transcript", &transcript},
                   {"recording_url", &recording},
                   {"end_call_reason", &reason},
                   {"lead_name", &lead_name},
                   {"name", &name},
                   {"campaign_type", &campaign_type}},
                  {{"labels", &labels},
                   {"collected_variables", &collected},
                   {"custom_variables", &custom_variables},
                   {"prompt_variables", &prompt_variables},
                   {"metadata", &metadata}},
                  {{"duration", &duration}},
                  {}};
    fields.read(call, "");
    // The API gives start_time as a string of epoch milliseconds, the webhook as ISO 8601.
    Number started;
    if (start && !start->empty() && start->find_first_not_of("0123456789") == std::string_view::npos &&
        start->size() <= 15)
      started = std::stoll(std::string(*start));
    else
      started = iso_field(start, "start_time");
    Number duration_ms, ended;
    if (duration) duration_ms = *duration * 1000;
    if (started && duration_ms) ended = *started + *duration_ms;
    row.set(call_external_id, id);
    row.set(call_external_agent_id, model);
    row.set(call_transcript, transcript);
    row.set(call_recording_url, recording);
    row.set(call_ended_reason, reason);
    row.values[call_direction] = direction_of(type);
    row.set(call_phone_number, lead ? lead : (type && *type == "inbound" ? from : to));
    row.values[call_status] = synthflow_status(api_status ? api_status : status);
    // Synthflow has no metadata: a dial's custom_variables come back in the call (as prompt_variables in its API).
    AttemptReport campaign;
    campaign.look({custom_variables, prompt_variables, metadata});
    std::string_view raw_status = api_status ? *api_status : status.value_or("completed");
    static constexpr std::array<std::string_view, 5> running = {"pending", "ringing", "in-progress", "paused",
                                                                "registered"};
    if (std::find(running.begin(), running.end(), raw_status) == running.end())
      campaign.ended("synthflow", raw_status, reason.value_or(""), collected);
    set_times(row, started, ended, duration_ms);
    Metadata meta;
    meta.text("lead_name", lead_name);
    meta.text("name", name);
    meta.text("campaign_type", campaign_type);
    meta.raw("labels", labels);
    campaign.put(row, meta);
    row.values[call_metadata] = meta.done();
  }
};

CallNormalizer::CallNormalizer(std::string provider) : impl_(std::make_unique<Impl>()) {
  impl_->provider = std::move(provider);
}

CallNormalizer::~CallNormalizer() = default;

std::optional<std::string> CallNormalizer::add(std::string_view record, std::size_t line, CallBatch& batch) {
  Row row;
  try {
    simdjson::ondemand::document doc;
    const char* end = record.data() + record.size();
    auto call = impl_->open(impl_->parser, record, record.size() + JsonRecordReader::record_padding, doc);
    if (impl_->provider == "vapi")
      impl_->vapi(call, row, end);
    else if (impl_->provider == "retell")
      impl_->retell(call, row, end);
    else
      impl_->synthflow(call, row);
  } catch (const Fault& fault) {
    return fault.message;
  } catch (const simdjson::simdjson_error& e) {
    return std::string("the record is not valid JSON (") + simdjson::error_message(e.error()) + ")";
  }
  if (!row.values[call_external_id] || row.values[call_external_id]->empty())
    return std::string(impl_->provider == "vapi" ? "id" : "call_id") + " is missing";
  row.values[call_provider] = impl_->provider;
  if (!row.values[call_cost_micros]) row.values[call_cost_micros] = "0";
  std::array<std::uint32_t, call_column_count> offsets;
  for (std::size_t c = 0; c < call_column_count; ++c) {
    if (!row.values[c]) {
      offsets[c] = CallBatch::null_value;
      continue;
    }
    offsets[c] = static_cast<std::uint32_t>(batch.text.size());
    batch.text.append(*row.values[c]);
    batch.text.push_back('\0');
  }
  batch.rows.push_back(offsets);
  batch.lines.push_back(line);
  return std::nullopt;
}

std::optional<std::string> attempt_id_in(std::string_view json) {
  if (json.empty() || (json.front() != '{' && json.front() != '[')) return std::nullopt;
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return std::nullopt;
  auto uuid = [](std::string_view s) -> std::optional<std::string> {
    if (s.size() != 36) return std::nullopt;
    std::string out(s);
    for (std::size_t i = 0; i < out.size(); ++i) {
      char& c = out[i];
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
      bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    }
    return out;
  };
  auto string_of = [](value v) {
    std::string_view s;
    return v.get_string().get(s) ? std::string_view() : s;
  };
  // An array is Synthflow's custom variables: [{"key": "wfa_attempt_id", "value": "…"}].
  simdjson::ondemand::array items;
  if (!doc.get_array().get(items)) {
    for (auto item : items) {
      simdjson::ondemand::object o;
      if (item.get_object().get(o)) continue;
      std::string_view key, text;
      for (auto field : o) {
        std::string_view name;
        value v;
        if (field.unescaped_key().get(name) || field.value().get(v)) break;
        if (name == "key")
          key = string_of(v);
        else if (name == "value")
          text = string_of(v);
      }
      if (key == "wfa_attempt_id") return uuid(text);
    }
    return std::nullopt;
  }
  doc.rewind();
  simdjson::ondemand::object o;
  if (doc.get_object().get(o)) return std::nullopt;
  std::optional<std::string> nested;
  for (auto field : o) {
    std::string_view name;
    value v;
    if (field.unescaped_key().get(name) || field.value().get(v)) return std::nullopt;
    if (name == "wfa_attempt_id") return uuid(string_of(v));
    if (!nested && (name == "metadata" || name == "variableValues")) {
      simdjson::ondemand::object inner;
      if (v.get_object().get(inner)) continue;
      for (auto f : inner) {
        std::string_view k;
        value iv;
        if (f.unescaped_key().get(k) || f.value().get(iv)) break;
        if (k == "wfa_attempt_id") {
          nested = uuid(string_of(iv));
          break;
        }
      }
    }
  }
  return nested;
}

std::optional<std::int64_t> decimal_micros(std::string_view s, int cents_exponent) {
  // Micro-units of the unit: dollars have 6 decimals to micro-dollars, cents 4.
  int scale = 6 - cents_exponent;
  std::size_t i = 0;
  std::int64_t whole = 0;
  if (s.empty() || s[0] == '-') return std::nullopt;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > 1'000'000'000'000LL) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  std::int64_t fraction = 0;
  int digits = 0;
  bool round_up = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t first = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (digits < scale)
        fraction = fraction * 10 + (s[i] - '0'), ++digits;
      else if (static_cast<int>(i - first) == scale)
        round_up = s[i] >= '5';
    }
    if (i == first) return std::nullopt;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    // Rare in costs: fall back to a double, which is exact enough for amounts written with an exponent.
    double value = std::strtod(std::string(s).c_str(), nullptr);
    if (value < 0) return std::nullopt;
    double factor = 1;
    for (int k = 0; k < scale; ++k) factor *= 10;
    return static_cast<std::int64_t>(value * factor + 0.5);
  }
  if (i != s.size()) return std::nullopt;
  for (; digits < scale; ++digits) fraction *= 10;
  std::int64_t unit = 1;
  for (int k = 0; k < scale; ++k) unit *= 10;
  return whole * unit + fraction + (round_up ? 1 : 0);
}

}  // namespace wfa
