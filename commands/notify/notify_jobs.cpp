// notify.flush: deliver the due notifications of one partner or of all, for at most max_seconds.
#include "commands/notify/notify_jobs.hpp"

#include <nlohmann/json.hpp>

#include "commands/notify/notify.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// notify_flush_default_seconds bounds a flush whose payload gives no max_seconds.
constexpr int notify_flush_default_seconds = 60;

/// flush_options reads a notify.flush payload: partner (a slug or id) and max_seconds (1 to 3600); any other field, or
/// a field of another type, is InvalidInputError.
NotifyFlushOptions flush_options(const nlohmann::json& payload) {
  NotifyFlushOptions o;
  o.max_seconds = notify_flush_default_seconds;
  for (const auto& [name, value] : payload.items()) {
    if (name == "partner" && value.is_string() && !value.get<std::string>().empty()) {
      o.partner = value.get<std::string>();
    } else if (name == "partner" && !value.is_null()) {
      throw InvalidInputError("payload field partner is not a partner's slug or id");
    } else if (name == "max_seconds") {
      if (!value.is_number_integer() || value.get<long>() < 1 || value.get<long>() > 3600)
        throw InvalidInputError("payload field max_seconds is not a whole number from 1 to 3600");
      o.max_seconds = value.get<int>();
    } else if (name != "partner") {
      throw InvalidInputError("payload field " + name + " is not one notify.flush takes (partner, max_seconds)");
    }
  }
  return o;
}

}  // namespace

std::vector<JobKind> notify_job_kinds() {
  return {
      {"notify.flush",
       "each notification is claimed as sending, committed before Telegram is called, and marked sent after: a "
       "second run sends only what is still queued and due, and only a message cut off between its send and its "
       "record may go out again, as with two overlapping flushes",
       "{\"partner\": SLUG|ID, \"max_seconds\": N} (default: every partner's, for at most 60 seconds)", false,
       [](const nlohmann::json& payload) { flush_options(payload); },
       [](const JobInput& job, Session& session) { return run_notify_flush(flush_options(job.payload), session); }}};
}

}  // namespace wfa
