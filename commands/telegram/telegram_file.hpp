#pragma once
/// The admins file of `wfa telegram sync-admins`: a group's admins as JSON (format in wfa-telegram(1)).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wfa {

/// TelegramAdmin is one admin of the admins file.
struct TelegramAdmin {
  std::int64_t telegram_id = 0;
  std::string status;  ///< creator | administrator
  std::optional<std::string> first_name, last_name, username;
};

/// TelegramAdminsFile is the parsed admins file; bots are left out and counted.
struct TelegramAdminsFile {
  std::optional<std::int64_t> chat_id;
  std::optional<std::string> title;
  std::vector<TelegramAdmin> admins;
  int bots_skipped = 0;
};

/// parse_admins_json reads TEXT (named PATH in errors): an array of admins, or an object with
/// `admins` (or the Bot API's `result`) and optional `chat_id` and `title`. Errors are
/// InvalidInputError (exit 6) naming PATH:LINE:COLUMN or PATH:/json/pointer.
TelegramAdminsFile parse_admins_json(const std::string& text, const std::string& path);
/// read_admins_file is parse_admins_json of the file at PATH.
TelegramAdminsFile read_admins_file(const std::string& path);

}  // namespace wfa
