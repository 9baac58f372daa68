#pragma once
/// The flags every export shares (`wfa export VERB`, `wfa lead export`).
#include <string>

#include <CLI/CLI.hpp>

#include "commands/export/export.hpp"
#include "commands/export/export_rules.hpp"

namespace wfa {

/// add_export_flags gives VERB --format, --out, --workspace, --since and --until, bound to O; SINCE_OF names the
/// rows the window selects ("calls started").
inline void add_export_flags(CLI::App* verb, ExportOptions& o, const std::string& since_of) {
  verb->add_option("--format", o.format, "xlsx, csv, json or ndjson (default: the extension of --out)")
      ->check(CLI::IsMember(export_formats));
  verb->add_option("--out", o.out, "File to write, or - for standard output (not xlsx); not with --enqueue");
  verb->add_option("--workspace", o.workspace, "Only this workspace (id or PARTNER/SLUG)");
  verb->add_option("--since", o.since, "Only " + since_of + " at or after this time (RFC 3339 or YYYY-MM-DD, UTC)");
  verb->add_option("--until", o.until, "Only " + since_of + " before this time (RFC 3339 or YYYY-MM-DD, UTC)");
}

}  // namespace wfa
