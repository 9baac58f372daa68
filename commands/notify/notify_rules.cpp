// The notify verbs' value lists and chat ids.
#include "commands/notify/notify_rules.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/session.hpp"

namespace wfa {

const Choices notification_statuses = {"queued", "sending", "sent", "failed"};
const Choices notification_parse_modes = {"HTML", "MarkdownV2"};

std::int64_t parse_chat_id(const Session& session, const std::string& text) {
  std::int64_t chat = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), chat);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || chat == 0)
    throw InvalidInputError(session.option("chat") + " '" + text.substr(0, 40) + "' is not a Telegram chat id",
                            "give the chat's number: positive for a person, negative for a group (-1001234567890)");
  return chat;
}

}  // namespace wfa
