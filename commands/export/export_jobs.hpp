#pragma once
/// The export job kind: one `wfa export` whose file lands in its batch's output in the file store, and the
/// `--enqueue` that makes it.
#include <vector>

#include "commands/job/job_kinds.hpp"

namespace wfa {

class Session;
struct ExportOptions;
struct ExportPlan;
struct ExportTarget;

/// export_job_kinds are the export noun's job kinds: export.
std::vector<JobKind> export_job_kinds();

/// enqueue_export enqueues PLAN's export in TARGET's format with O's options as a batch of one export job (the verb
/// has checked the rights; the job checks them again) and returns at once with the batch and the file to come.
Result enqueue_export(const ExportPlan& plan, const ExportTarget& target, const ExportOptions& o, Session& session);

}  // namespace wfa
