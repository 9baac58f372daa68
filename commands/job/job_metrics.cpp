// The queue's figures as Prometheus metric families.
#include "commands/job/job_metrics.hpp"

#include <map>
#include <sstream>
#include <vector>

#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/transaction>

namespace wfa {

namespace {

/// label_value escapes a label value as the text format requires (backslash, quote, newline).
std::string label_value(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

struct Family {
  const char* name;
  const char* type;
  const char* help;
  std::vector<std::string> samples;
};

}  // namespace

std::string job_queue_metrics(pqxx::connection_base& connection) {
  pqxx::read_transaction tx(connection);
  auto rows = tx.exec("SELECT * FROM wfa_job_queue_stats()");
  Family jobs{"wfa_jobs", "gauge", "Unfinished jobs by queue, kind and status (due: available and due now).", {}};
  Family wait{"wfa_job_oldest_due_seconds", "gauge", "How long the oldest due job has waited.", {}};
  Family finished{"wfa_jobs_finished_last_hour", "gauge", "Jobs finished in the last hour by outcome.", {}};
  Family duration{
      "wfa_job_duration_seconds", "gauge", "Claim-to-finish time of the last hour's completed jobs, by quantile.", {}};
  for (const auto& row : rows) {
    auto labels = "queue=\"" + label_value(row["queue"].as<std::string>()) + "\",kind=\"" +
                  label_value(row["kind"].as<std::string>()) + "\"";
    for (const char* status : {"available", "due", "running"})
      jobs.samples.push_back("{" + labels + ",status=\"" + status + "\"} " + row[status].as<std::string>());
    wait.samples.push_back("{" + labels + "} " + row["oldest_due_s"].as<std::string>());
    for (const char* outcome : {"completed", "failed", "discarded", "cancelled"})
      finished.samples.push_back("{" + labels + ",outcome=\"" + outcome + "\"} " +
                                 row[std::string(outcome) + "_1h"].as<std::string>());
    for (auto [quantile, column] : {std::pair{"0.5", "p50_ms"}, std::pair{"0.95", "p95_ms"}})
      if (!row[column].is_null())
        duration.samples.push_back("{" + labels + ",quantile=\"" + quantile + "\"} " +
                                   std::to_string(row[column].as<double>() / 1000.0));
  }
  std::ostringstream out;
  for (const auto* family : {&jobs, &wait, &finished, &duration}) {
    out << "# HELP " << family->name << ' ' << family->help << "\n# TYPE " << family->name << ' ' << family->type
        << '\n';
    for (const auto& sample : family->samples) out << family->name << sample << '\n';
  }
  return out.str();
}

}  // namespace wfa
