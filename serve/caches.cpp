// Which cache pools a table feeds, and their metrics.
#include "serve/caches.hpp"

#include <sstream>

namespace wfa::serve {

void Caches::changed(const std::string& table) {
  // Records the modules show feed only their data; everything else decides who someone is or what they may use.
  static const char* const records[] = {"ai_agents", "conversations", "proposals_log", "mockup_files", "locations"};
  for (const char* r : records)
    if (table == r) return analytics.clear();
  for (auto* pool : all()) pool->clear();
}

std::string Caches::render() {
  std::ostringstream out;
  out << "# TYPE wfa_serve_cache_entries gauge\n";
  for (auto* p : all()) out << "wfa_serve_cache_entries{pool=\"" << p->name() << "\"} " << p->size() << '\n';
  out << "# TYPE wfa_serve_cache_hits_total counter\n";
  for (auto* p : all()) out << "wfa_serve_cache_hits_total{pool=\"" << p->name() << "\"} " << p->hits() << '\n';
  out << "# TYPE wfa_serve_cache_misses_total counter\n";
  for (auto* p : all()) out << "wfa_serve_cache_misses_total{pool=\"" << p->name() << "\"} " << p->misses() << '\n';
  out << "# TYPE wfa_serve_cache_invalidations_total counter\n";
  for (auto* p : all())
    out << "wfa_serve_cache_invalidations_total{pool=\"" << p->name() << "\"} " << p->invalidations() << '\n';
  return out.str();
}

}  // namespace wfa::serve
