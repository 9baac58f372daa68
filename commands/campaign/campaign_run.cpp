// `wfa campaign run`: the campaign runner in the foreground, with progress; an interruption pauses the campaign.
#include <pqxx/transaction>

#include "commands/campaign/campaign.hpp"
#include "commands/campaign/campaign_dispatch.hpp"
#include "commands/campaign/campaign_rules.hpp"
#include "core/audited_mutation.hpp"
#include "core/database.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/session.hpp"

namespace wfa {

Result run_campaign_run(const CampaignRunOptions& o, Session& session) {
  if (o.concurrency < 1 || o.concurrency > 256)
    throw InvalidInputError(session.option("concurrency") + " must be 1 to 256",
                            "give the requests in flight, e.g. 32");
  if (o.for_seconds && (*o.for_seconds <= 0 || *o.for_seconds > 7 * 86400))
    throw InvalidInputError(session.option("for") + " must be more than 0 and at most a week of seconds");
  CampaignRef c;
  {
    pqxx::work tx(session.database().ready());
    c = campaign_for(tx, session, o.campaign, "workspace:campaigns:update");
    if (c.status != "running" && c.status != "scheduled")
      throw ConflictError("campaign " + c.label + " is " + c.status + "; only a scheduled or running campaign dials",
                          c.status == "paused" ? "resume it first: wfa campaign resume " + o.campaign
                                               : "schedule it first: wfa campaign schedule " + o.campaign + " --now");
    if (o.force) {
      // Widening is recorded: who dialed beyond the campaign's own window and retries, and when.
      record_audit(tx, {session.actor(), "campaign.force", "campaign", c.id, c.partner_id, c.workspace_id, "", "",
                        "{\"scope\": \"the campaign's own window and retries; never the country's rules\"}"});
    }
    tx.commit();
  }
  auto guard = session.interruptible();
  auto shown = session.progress();
  auto& progress = *shown;
  bool begun = false;
  DispatchSettings settings;
  settings.senders = static_cast<unsigned>(o.concurrency);
  settings.force = o.force;
  settings.pause_on_interrupt = true;
  if (o.for_seconds)
    settings.run_for =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(*o.for_seconds));
  settings.on_progress = [&](const DispatchTally& t) {
    if (!begun) progress.start("recipients", static_cast<std::size_t>(t.recipients)), begun = true;
    progress.update(static_cast<std::size_t>(t.finished));
  };
  auto summary = dispatch_campaign(session, c.id, settings);
  if (begun) progress.finish();
  const auto& t = summary.tally;
  Result r;
  r.fields = {{"campaign", Cell(c.label)},       {"status", Cell(t.status)},         {"ended", Cell(summary.ended)},
              {"dialed", Cell(t.dialed)},        {"refused", Cell(t.refused)},       {"failed", Cell(t.failed)},
              {"unanswered", Cell(t.uncertain)}, {"recipients", Cell(t.recipients)}, {"finished", Cell(t.finished)},
              {"live_calls", Cell(t.live)}};
  r.message = "campaign " + c.label + ": " + std::to_string(t.dialed) + " call(s) placed; " + summary.ended;
  if (summary.ended == "interrupted") {
    r.message += "; the campaign is paused (wfa campaign resume " + o.campaign + " continues it)";
    r.category = ErrorCategory::interrupted;
  }
  if (summary.ended.rfind("paused", 0) == 0 && summary.ended.find("insufficient_credit") != std::string::npos)
    r.category = ErrorCategory::conflict;
  return r;
}

}  // namespace wfa
