// export: `wfa export` run by a worker into its batch's output in the file store, and the --enqueue that makes it.
#include "commands/export/export_jobs.hpp"

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "commands/costs/costs.hpp"
#include "commands/export/export.hpp"
#include "commands/export/export_rules.hpp"
#include "commands/job/job_batch.hpp"
#include "commands/job/job_rules.hpp"
#include "commands/lead/lead.hpp"
#include "core/error.hpp"

namespace wfa {

namespace {

/// file_name is the file an export job of VERB in FORMAT writes in its batch's output, e.g. calls.csv.
std::string file_name(const std::string& verb, const std::string& format) { return verb + "." + format; }

/// own_option is the option the export VERB takes besides the shared ones (partner or campaign), or nullptr.
const char* own_option(const std::string& verb) {
  if (verb == "usage" || verb == "audit" || verb == "invoices" || verb == "costs") return "partner";
  if (verb == "recipients") return "campaign";
  return nullptr;
}

void check_export(const nlohmann::json& payload) {
  auto verb = payload_string(payload, "export").value_or("");
  if (verb != "calls" && verb != "proposals" && verb != "leads" && !own_option(verb))
    throw InvalidInputError("payload field export '" + verb +
                            "' is not calls, usage, recipients, proposals, leads, audit, invoices or costs");
  const char* own = own_option(verb);
  if (!own) own = "export";                            // no option of its own: the list names export twice
  const char* by = verb == "costs" ? "by" : "export";  // costs' grouping
  refuse_unknown_fields(payload, {"export", "format", "batch", "workspace", "since", "until", own, by});
  auto format = payload_string(payload, "format").value_or("");
  if (std::find(export_formats.begin(), export_formats.end(), format) == export_formats.end())
    throw InvalidInputError("payload field format '" + format + "' is not xlsx, csv, json or ndjson");
  payload_uuid(payload, "batch");
  for (const char* field : {"workspace", "since", "until", own, by}) payload_string(payload, field);
}

/// exported runs the export VERB's run_* into FILE with the payload's options, as the job's enqueuer.
template <typename Options>
Result exported(const nlohmann::json& payload, const std::string& file, Session& session,
                Result (*run)(const Options&, Session&), std::optional<std::string> Options::*own = nullptr) {
  Options o;
  o.format = payload_string(payload, "format");
  o.out = file;
  o.workspace = payload_string(payload, "workspace");
  o.since = payload_string(payload, "since");
  o.until = payload_string(payload, "until");
  if (own) o.*own = payload_string(payload, own_option(payload["export"].get<std::string>()));
  return run(o, session);
}

/// run_export_job writes the payload's export to its batch's output, through the temporary file the verb renames
/// into place, so a rerun rewrites the same file whole.
Result run_export_job(const JobInput& job, Session& session) {
  check_export(job.payload);
  auto verb = *payload_string(job.payload, "export");
  auto folder = batch_output_dir(session, *payload_string(job.payload, "batch"));
  std::filesystem::create_directories(folder);
  auto file = (folder / file_name(verb, *payload_string(job.payload, "format"))).string();
  const auto& p = job.payload;
  if (verb == "calls") return exported<ExportCallsOptions>(p, file, session, run_export_calls);
  if (verb == "usage") return exported(p, file, session, run_export_usage, &ExportUsageOptions::partner);
  if (verb == "recipients")
    return exported(p, file, session, run_export_recipients, &ExportRecipientsOptions::campaign);
  if (verb == "proposals") return exported<ExportProposalsOptions>(p, file, session, run_export_proposals);
  if (verb == "leads") return exported<LeadExportOptions>(p, file, session, run_lead_export);
  if (verb == "audit") return exported(p, file, session, run_export_audit, &ExportAuditOptions::partner);
  if (verb == "costs") {
    ExportCostsOptions o;
    o.format = payload_string(p, "format");
    o.out = file;
    o.workspace = payload_string(p, "workspace");
    o.since = payload_string(p, "since");
    o.until = payload_string(p, "until");
    o.partner = payload_string(p, "partner");
    o.by = payload_string(p, "by").value_or("workspace");
    return run_export_costs(o, session);
  }
  return exported(p, file, session, run_export_invoices, &ExportInvoicesOptions::partner);
}

}  // namespace

Result enqueue_export(const ExportPlan& plan, const ExportTarget& target, const ExportOptions& o, Session& session) {
  nlohmann::json payload{{"export", plan.verb}, {"format", target.format}};
  if (o.workspace) payload["workspace"] = *o.workspace;
  if (o.since) payload["since"] = *o.since;
  if (o.until) payload["until"] = *o.until;
  for (const auto& [name, value] : plan.own)
    if (value) payload[name] = *value;
  auto batch = enqueue_batch(session, "export " + plan.verb, "export", [&](const std::string& batch_id) {
    payload["batch"] = batch_id;
    return std::vector<std::string>{payload.dump()};
  });
  auto r = enqueued_result(batch);
  auto file = (batch.output / file_name(plan.verb, target.format)).string();
  r.fields.emplace_back("file", Cell(file));
  r.message += "; the file will be " + file;
  return r;
}

std::vector<JobKind> export_job_kinds() {
  return {
      {"export",
       "it rewrites the same file of its batch's output whole (a temporary file renamed into place), from the rows "
       "as they are when it runs",
       "{\"export\": calls|usage|recipients|proposals|leads|audit|invoices|costs, \"format\": xlsx|csv|json|ndjson, "
       "\"batch\": "
       "ID, \"workspace\", \"since\", \"until\", \"partner\" or \"campaign\": as the verb's options}",
       false, check_export, run_export_job}};
}

}  // namespace wfa
