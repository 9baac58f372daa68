// mail.send: deliver the due messages of the outbox for at most max_seconds.
#include "commands/mail/mail_jobs.hpp"

#include <nlohmann/json.hpp>

#include "commands/mail/mail.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// flush_options reads a mail.send payload: max_seconds (1 to 3600, default 60); any other field is
/// InvalidInputError.
MailFlushOptions flush_options(const nlohmann::json& payload) {
  MailFlushOptions o;
  o.max_seconds = 60;
  for (const auto& [name, value] : payload.items()) {
    if (name != "max_seconds")
      throw InvalidInputError("payload field " + name + " is not one mail.send takes (max_seconds)");
    if (!value.is_number_integer() || value.get<long>() < 1 || value.get<long>() > 3600)
      throw InvalidInputError("payload field max_seconds is not a whole number from 1 to 3600");
    o.max_seconds = value.get<int>();
  }
  return o;
}

}  // namespace

std::vector<JobKind> mail_job_kinds() {
  return {{"mail.send",
           "each message is claimed as sending (SKIP LOCKED) and committed before SMTP is spoken, then marked sent: "
           "a second run sends only what is still due, and only a message cut off after DATA goes again, as unknown, "
           "with its Message-ID",
           "{\"max_seconds\": N} (default 60)", false, [](const nlohmann::json& payload) { flush_options(payload); },
           [](const JobInput& job, Session& session) { return run_mail_flush(flush_options(job.payload), session); }}};
}

}  // namespace wfa
