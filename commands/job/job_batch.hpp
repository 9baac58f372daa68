#pragma once
/// `--enqueue` of the batch verbs: the work split into one job per chunk, enqueued as one batch acting for the user who
/// asked, and the batch's outputs in the file store (file_store), which every worker machine must reach at one path.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace wfa {

class Session;

/// EnqueuedBatch is what `--enqueue` did: the batch, its kind and jobs, and where its outputs land.
struct EnqueuedBatch {
  std::string batch_id;
  std::string kind;
  long jobs = 0;
  std::filesystem::path output;  ///< batch_output_dir of the batch
};

/// batch_output_dir is where the jobs of batch BATCH_ID write their files: FILE STORE/batches/BATCH_ID.
std::filesystem::path batch_output_dir(const Session& session, const std::string& batch_id);

/// PayloadsFor makes the batch's payloads (JSON objects as text, one job each) once its id is known.
using PayloadsFor = std::function<std::vector<std::string>(const std::string& batch_id)>;

/// enqueue_batch enqueues KIND's jobs as one new batch in one transaction, acting for SESSION's actor (the verb has
/// checked the rights; each job checks them again when it runs), audited as VERB's; nothing when dry_run.
EnqueuedBatch enqueue_batch(Session& session, const std::string& verb, const std::string& kind,
                            const PayloadsFor& payloads, bool dry_run = false);

/// enqueued_result renders BATCH for any front end: its id, kind, jobs and output, and how to follow it.
Result enqueued_result(const EnqueuedBatch& batch, bool dry_run = false);

}  // namespace wfa
