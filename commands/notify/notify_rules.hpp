#pragma once
/// What the notify verbs share: their value lists and the reading of a chat id.
#include <cstdint>
#include <string>

#include "core/validation.hpp"

namespace wfa {

class Session;

/// notification_statuses are a notification's states: queued → sending → sent | failed (or queued again).
extern const Choices notification_statuses;
/// notification_parse_modes are Telegram's formatting modes wfa passes through.
extern const Choices notification_parse_modes;
/// max_notification_chars is Telegram's limit on one message's text.
inline constexpr std::size_t max_notification_chars = 4096;

/// parse_chat_id reads a Telegram chat id (a whole number, not 0; negative for groups); anything else is
/// InvalidInputError naming the option.
std::int64_t parse_chat_id(const Session& session, const std::string& text);

}  // namespace wfa
