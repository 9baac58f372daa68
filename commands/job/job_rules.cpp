// The job verbs' shared rules.
#include "commands/job/job_rules.hpp"

#include <regex>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace wfa {

const Choices job_statuses = {"available", "running", "completed", "failed", "cancelled", "discarded"};
const Choices job_finished_statuses = {"completed", "failed", "cancelled", "discarded"};

std::int64_t parse_job_id(const std::string& text) {
  static const std::regex shape("[1-9][0-9]{0,17}");
  if (!std::regex_match(text, shape))
    throw InvalidInputError("job id '" + text.substr(0, 40) + "' is not a job id", "job ids are whole numbers");
  return std::stoll(text);
}

void check_batch_id(const std::string& text) {
  if (!is_uuid(text))
    throw InvalidInputError("batch id '" + text.substr(0, 40) + "' is not a batch id",
                            "a batch id is the UUID the enqueue printed");
}

std::string check_queue_name(std::string_view field, const std::string& text) {
  static const std::regex shape("[a-z0-9][a-z0-9._-]{0,99}");
  if (!std::regex_match(text, shape))
    throw InvalidInputError(std::string(field) + " '" + text.substr(0, 40) + "' is not a queue name",
                            "use lowercase letters, digits, dots, dashes and underscores, e.g. default or pdf");
  return text;
}

std::chrono::seconds parse_duration(const std::string& option, const std::string& text) {
  static const std::regex shape("([1-9][0-9]{0,6})([smhdw])");
  std::smatch m;
  if (!std::regex_match(text, m, shape))
    throw InvalidInputError(option + " '" + text.substr(0, 40) + "' is not a duration",
                            "give a number and s, m, h, d or w, e.g. 30d");
  static const std::string units = "smhdw";
  static const long seconds[] = {1, 60, 3600, 86400, 604800};
  return std::chrono::seconds(std::stol(m[1].str()) * seconds[units.find(m[2].str()[0])]);
}

std::optional<std::string> payload_string(const nlohmann::json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw InvalidInputError(std::string("payload field ") + name + " is not a string");
  return it->get<std::string>();
}

std::string payload_uuid(const nlohmann::json& payload, const char* name) {
  auto value = payload_string(payload, name);
  if (!value) throw InvalidInputError(std::string("payload field ") + name + " is missing");
  if (!is_uuid(*value)) throw InvalidInputError(std::string("payload field ") + name + " is not an id");
  return *value;
}

void refuse_unknown_fields(const nlohmann::json& payload, std::initializer_list<const char*> allowed) {
  for (const auto& [name, value] : payload.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || name == a;
    if (!known) throw InvalidInputError("payload field " + name + " is not one this kind takes");
  }
}

}  // namespace wfa
