// `wfa mockup generate`: one mockup of a creative on a location photo, served from the cache when identical.
#include <pqxx/result>
#include <pqxx/transaction>

#include "commands/sales/sales_rules.hpp"
#include "core/file_io.hpp"
#include "core/session.hpp"
#include "core/database.hpp"
#include "core/audited_mutation.hpp"
#include "commands/mockup/mockup.hpp"
#include "commands/mockup/mockup_store.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

namespace fs = std::filesystem;

void check_quality(int quality, const Session& session) {
  if (quality < 1 || quality > 100)
    throw InvalidInputError(session.option("quality") + " " + std::to_string(quality) + " is out of range",
                            "give a JPEG quality of 1..100");
}

void copy_mockup(const fs::path& from, const fs::path& to) { write_file_atomic(to, read_file(from, "mockup")); }

Result run_mockup_generate(const MockupGenerateOptions& o, Session& session) {
  check_photo_variant(session, o.time_of_day, o.finish);
  check_quality(o.quality, session);
  if (o.out) refuse_overwriting_input(*o.out, session.option("out"), o.creative, "creative");
  auto root = file_store_root(session);
  MockupJob job;
  {
    pqxx::read_transaction tx(session.database().ready());
    auto ws = workspace_for(tx, session, o.workspace, "workspace:mockups:create");
    job = prepare_job(tx, root, find_photo(tx, ws.id, o.location, o.time_of_day, o.finish), o.creative, o.quality,
                      o.no_cache);
  }
  Compositor compositor;
  DecodedImages photos(1), creatives(1);
  std::vector<std::uint8_t> buffer;
  auto rendered = render_job(job, root, photos, creatives, compositor, buffer);
  if (o.out) copy_mockup(root / rendered.file.relative_path, *o.out);

  pqxx::work tx(session.database().ready());
  log_mockup(tx, job, rendered);
  record_audit(
      tx, {session.actor(), "mockup.generate", "mockup_file", job.cache_key, job.photo.partner_id,
           job.photo.workspace_id, "", "", "{\"cached\":" + std::string(rendered.cached ? "true" : "false") + "}"});
  tx.commit();
  Result r;
  auto columns = mockup_columns();
  auto row = mockup_row(1, job, rendered, root, o.out.value_or(""));
  for (std::size_t i = 1; i + 1 < columns.size(); ++i) r.fields.emplace_back(columns[i], row[i]);
  auto where = o.out ? *o.out : (root / rendered.file.relative_path).string();
  r.message = rendered.cached ? "mockup of " + job.photo.label() + " served from the cache: " + where
                              : "made mockup of " + job.photo.label() + ": " + where;
  return r;
}

}  // namespace wfa
