#include "commands/config/config.hpp"

#include "core/session.hpp"

namespace wfa {

Result run_config_show(const ConfigShowOptions& options, Session& session) {
  const auto& config = session.settings();
  Table t{"settings", {"key", "value"}, {}};
  if (options.sources) t.columns.push_back("source");
  for (const auto& info : Config::settings()) {
    const auto& s = config.get(info.key);
    std::string value = info.secret ? mask_secret(info.key, s.value) : s.value;
    Row row = {Cell(info.key), s.is_set ? Cell(value) : Cell::null()};
    if (options.sources) row.push_back(Cell(s.source));
    t.rows.push_back(std::move(row));
  }
  Result r;
  r.fields = {{"config_file", Cell(config.file().string())}, {"config_file_exists", Cell(config.file_exists())}};
  r.tables.push_back(std::move(t));
  return r;
}

}  // namespace wfa
