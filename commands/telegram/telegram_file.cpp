// The admins file of `wfa telegram sync-admins` (format in wfa-telegram(1)).
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/input_file.hpp"
#include "core/json_input.hpp"
#include "commands/telegram/telegram_file.hpp"

namespace wfa {

namespace {

using nlohmann::json;

/// max_admins_file_bytes bounds an admins file: a group has at most a few dozen admins.
constexpr std::size_t max_admins_file_bytes = 4u << 20;

/// FileReader reports problems as PATH:/pointer: what, with one hint.
struct FileReader {
  const std::string& path;

  [[noreturn]] void fail(const std::string& pointer, const std::string& what) const {
    throw InvalidInputError(path + ":" + pointer + ": " + what,
                            "see FILES in wfa-telegram(1) for the admins file format");
  }
  std::optional<std::string> text(const json& object, const char* key, const std::string& at) const {
    if (!object.contains(key) || object[key].is_null()) return std::nullopt;
    if (!object[key].is_string()) fail(at + "/" + key, "expected a string");
    return object[key].get<std::string>();
  }
  std::int64_t id(const json& value, const std::string& at) const {
    if (!value.is_number_integer()) fail(at, "expected a whole number (the Telegram user id)");
    auto n = value.get<std::int64_t>();
    if (n <= 0) fail(at, "a Telegram user id is a positive number");
    return n;
  }

  /// admin reads one entry: flat ({telegram_id, status, ...}) or a Bot API ChatMember ({user: {...}, status}).
  std::optional<TelegramAdmin> admin(const json& entry, const std::string& at) const {
    if (!entry.is_object()) fail(at, "expected an object with telegram_id and status");
    const json& user = entry.contains("user") ? entry["user"] : entry;
    std::string user_at = entry.contains("user") ? at + "/user" : at;
    if (!user.is_object()) fail(user_at, "expected an object");
    if (user.contains("is_bot") && user["is_bot"].is_boolean() && user["is_bot"].get<bool>()) return std::nullopt;
    TelegramAdmin a;
    if (user.contains("telegram_id"))
      a.telegram_id = id(user["telegram_id"], user_at + "/telegram_id");
    else if (user.contains("id"))
      a.telegram_id = id(user["id"], user_at + "/id");
    else
      fail(user_at, "missing telegram_id");
    auto status = text(entry, "status", at);
    if (!status) fail(at, "missing status (creator or administrator)");
    if (*status != "creator" && *status != "administrator")
      fail(at + "/status", "'" + *status + "' is not creator or administrator");
    a.status = *status;
    a.first_name = text(user, "first_name", user_at);
    a.last_name = text(user, "last_name", user_at);
    a.username = text(user, "username", user_at);
    return a;
  }
};

}  // namespace

TelegramAdminsFile parse_admins_json(const std::string& text, const std::string& path) {
  auto root =
      parse_json_input(text, "admins file", path, max_admins_file_bytes, "fix the file; see FILES in wfa-telegram(1)");
  FileReader reader{path};
  TelegramAdminsFile file;
  const json* list = &root;
  std::string list_at;
  if (root.is_object()) {
    if (root.contains("ok") && root["ok"].is_boolean() && !root["ok"].get<bool>())
      reader.fail("/ok", "the Bot API answer reports a failure");
    if (root.contains("chat_id") && !root["chat_id"].is_null()) {
      if (!root["chat_id"].is_number_integer()) reader.fail("/chat_id", "expected a whole number");
      file.chat_id = root["chat_id"].get<std::int64_t>();
    }
    file.title = reader.text(root, "title", "");
    const char* key = root.contains("admins") ? "admins" : root.contains("result") ? "result" : nullptr;
    if (!key) reader.fail("/", "missing the admins array");
    list = &root[key];
    list_at = std::string("/") + key;
  }
  if (!list->is_array()) reader.fail(list_at.empty() ? "/" : list_at, "expected an array of admins");
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto at = list_at + "/" + std::to_string(i);
    auto admin = reader.admin((*list)[i], at);
    if (!admin) {
      ++file.bots_skipped;
      continue;
    }
    if (!seen.insert(admin->telegram_id).second)
      reader.fail(at, "telegram id " + std::to_string(admin->telegram_id) + " is listed twice");
    file.admins.push_back(std::move(*admin));
  }
  return file;
}

TelegramAdminsFile read_admins_file(const std::string& path) {
  check_input_size(path, "admins file", max_admins_file_bytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InvalidInputError("cannot read the admins file " + path, "check the path given to --admins");
  std::stringstream text;
  text << in.rdbuf();
  return parse_admins_json(text.str(), path);
}

}  // namespace wfa
