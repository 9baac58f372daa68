#pragma once
/// Glue between CLI11 and the command framework; included only by *_cli.cpp files.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "core/listing.hpp"
#include "core/session.hpp"

namespace wfa {

/// on_run makes COMMAND, when selected, hand ACTION to main through DISPATCH.
inline void on_run(CLI::App* command, Dispatch& dispatch, Action action) {
  command->callback([&dispatch, action = std::move(action)] { dispatch.action = action; });
}

/// add_paging gives a list verb the paging flags every list shares.
inline void add_paging(CLI::App* list, Paging& paging) {
  list->add_option("--limit", paging.limit,
                   "Rows per page (default " + std::to_string(Paging::default_limit) + "; 0 = every row, as --all)");
  list->add_flag("--all", paging.all, "Every row, streamed as it is read");
  list->add_option("--after", paging.after, "Start after CURSOR: the next_cursor an earlier page printed");
  list->add_flag("--count", paging.count, "Print only how many rows match");
}

}  // namespace wfa
