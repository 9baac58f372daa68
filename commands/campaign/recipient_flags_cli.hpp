#pragma once
/// The column and number flags of every import that reads recipients' columns (campaign import, lead import).
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace wfa {

/// add_recipient_column_flags adds --map FIELD=Header, --skip Header and --default-country ISO.
inline void add_recipient_column_flags(CLI::App* import, std::vector<std::string>& map, std::vector<std::string>& skip,
                                       std::optional<std::string>& default_country) {
  import
      ->add_option("--map", map,
                   "Column of a field: FIELD=Header, FIELD one of phone, first_name, last_name, full_name, email, "
                   "company, timezone (repeatable)")
      ->allow_extra_args(false);
  import->add_option("--skip", skip, "Do not import this column (repeatable)")->allow_extra_args(false);
  import->add_option("--default-country", default_country,
                     "Country of numbers without a country code (ISO code, e.g. AE)");
}

/// add_encoding_flag adds --encoding, the names csv_options_for reads.
inline void add_encoding_flag(CLI::App* import, std::string& encoding) {
  import->add_option("--encoding", encoding,
                     "auto (default: UTF-16 or UTF-8 by byte-order mark, else UTF-8), utf-8, utf-16, windows-1252 "
                     "or latin1");
}

}  // namespace wfa
