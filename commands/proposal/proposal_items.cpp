// Batch files for `wfa proposal batch`: CSV rows or JSON objects into ProposalRequests.
#include "commands/proposal/proposal_items.hpp"

#include <cctype>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_input.hpp"
#include "core/validation.hpp"
#include "pipelines/csv_records.hpp"

namespace wfa {

namespace {

/// max_json_batch_bytes bounds a .json batch file (the CSV form is bounded by max_csv_table_bytes).
constexpr std::size_t max_json_batch_bytes = 16u << 20;

std::vector<std::string> split_keys(const std::string& text) {
  std::vector<std::string> keys;
  std::string key;
  for (char c : text + ";") {
    if (c == ';' || c == '|') {
      auto begin = key.find_first_not_of(' '), end = key.find_last_not_of(' ');
      if (begin != std::string::npos) keys.push_back(key.substr(begin, end - begin + 1));
      key.clear();
    } else {
      key += c;
    }
  }
  return keys;
}

/// finish fills the defaults of a row and records what is missing as the row's error.
void finish(ProposalRequest& r, const std::string& weeks) {
  if (!weeks.empty()) {
    try {
      std::size_t used = 0;
      r.weeks = std::stoi(weeks, &used);
      if (used != weeks.size() || *r.weeks < 1 || *r.weeks > 520) throw std::invalid_argument(weeks);
    } catch (const std::exception&) {
      r.error = "weeks '" + weeks + "' is not a whole number from 1 to 520";
    }
  }
  if (r.client.empty() && r.error.empty()) r.error = "client_name is empty";
  if (r.error.empty()) {
    try {
      check_single_line("client_name", r.client);  // the log refuses anything else, after the PDF is written
    } catch (const Error& e) {
      r.error = e.what();
    }
  }
  if (r.locations.empty() && r.error.empty()) r.error = "location_key is empty";
  if (r.start.empty() && r.error.empty()) r.error = "start_date is empty";
  r.numbered = r.id.empty();
  r.default_file = r.file.empty();
  if (r.id.empty()) {
    char number[16];
    std::snprintf(number, sizeof number, "%05zu", r.row);
    r.id = "PR-" + (r.start.size() >= 4 ? r.start.substr(0, 4) : std::string("0000")) + "-" + number;
  }
  if (r.file.empty()) r.file = default_file(r.id);
  if (r.file.find("..") != std::string::npos || r.file.front() == '/') {
    r.error = "file '" + r.file + "' leaves the output directory";
    r.file = default_file(r.id);
  }
}

std::vector<ProposalRequest> read_csv(const std::string& path, const CsvOptions& options) {
  auto table = CsvTable::parse(read_input_file(path, "batch file", max_csv_table_bytes), path, options);
  auto pick = [&](const CsvRow& record, std::initializer_list<const char*> names) {
    for (const char* name : names)
      if (table.column(name)) return table.field(record, name);
    return std::string();
  };
  std::vector<ProposalRequest> out;
  for (const auto& record : table.records()) {
    ProposalRequest r;
    r.row = out.size() + 1;
    r.where = table.where(record);
    r.error = record.error;
    r.client = pick(record, {"client_name", "client"});
    r.locations = split_keys(pick(record, {"location_key", "locations", "location_keys"}));
    r.start = pick(record, {"start_date", "start"});
    if (auto currency = pick(record, {"currency"}); !currency.empty()) r.currency = currency;
    r.id = pick(record, {"proposal_id", "id"});
    r.file = pick(record, {"file"});
    finish(r, pick(record, {"weeks"}));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<ProposalRequest> read_json(const std::string& path) {
  auto doc = read_json_input(path, "batch file", max_json_batch_bytes, "the batch is a JSON array of objects");
  if (!doc.is_array())
    throw InvalidInputError(path + ": not a JSON array", "the batch is a JSON array of objects, one per proposal");
  std::vector<ProposalRequest> out;
  for (const auto& item : doc) {
    ProposalRequest r;
    r.row = out.size() + 1;
    r.where = path + "[" + std::to_string(r.row - 1) + "]";
    auto str = [&](std::initializer_list<const char*> keys) {
      for (const char* key : keys)
        if (item.is_object() && item.contains(key))
          return item[key].is_string() ? item[key].get<std::string>() : item[key].dump();
      return std::string();
    };
    if (!item.is_object()) r.error = "is not an object";
    r.client = str({"client_name", "client"});
    if (item.is_object() && item.contains("locations") && item["locations"].is_array()) {
      for (const auto& key : item["locations"])
        r.locations.push_back(key.is_string() ? key.get<std::string>() : key.dump());
    } else {
      r.locations = split_keys(str({"location_key", "locations"}));
    }
    r.start = str({"start_date", "start"});
    if (auto currency = str({"currency"}); !currency.empty()) r.currency = currency;
    r.id = str({"proposal_id", "id"});
    r.file = str({"file"});
    finish(r, str({"weeks"}));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::string default_file(const std::string& id) {
  std::string name;
  for (char c : id) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return name + ".pdf";
}

std::vector<ProposalRequest> read_proposal_batch(const std::string& path, const CsvOptions& csv) {
  bool json = path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  auto items = json ? read_json(path) : read_csv(path, csv);
  if (items.empty()) throw InvalidInputError(path + " has no proposals", "add one row per proposal after the header");
  return items;
}

}  // namespace wfa
