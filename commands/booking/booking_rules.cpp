// Booking lookups under the actor's rights, fields, claims, the workflow with its default, visibility, documents.
#include "commands/booking/booking_rules.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <pqxx/result>
#include <pqxx/transaction>

#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/file_store.hpp"
#include "core/input_file.hpp"
#include "core/listing.hpp"
#include "core/rows.hpp"
#include "core/session.hpp"
#include "commands/perm/record_access.hpp"
#include "commands/tenancy/actor.hpp"

namespace wfa {

std::string check_free_text(std::string_view field, const std::string& text, std::size_t max_chars) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InvalidInputError(std::string(field) + " is empty", "give some text or leave it out");
  if (code_points(text) > max_chars)
    throw InvalidInputError(std::string(field) + " is longer than " + std::to_string(max_chars) + " characters",
                            "shorten it");
  if (control_at(text, true) != std::string::npos)
    throw InvalidInputError(std::string(field) + " holds a control character", "give plain text");
  return text;
}

BookingRef booking_for(pqxx::transaction_base& tx, const Session& session, const std::string& workspace,
                       const std::string& booking, std::string_view permission, bool lock) {
  BookingRef ref;
  ref.workspace = workspace_for(tx, session, workspace, "workspace:bookings:read");
  ref.label = workspace;
  bool by_id = is_uuid(booking);
  if (!by_id && booking.rfind("BO-", 0) != 0)
    throw InvalidInputError("booking '" + booking + "' is neither a booking id (a UUID) nor a number",
                            "give the booking's id or its number, e.g. BO-2026-0001");
  auto rows = tx.exec_params(
      std::string("SELECT id, number, status, COALESCE(owner_user_id::text, ''), total, currency FROM booking_orders"
                  " WHERE workspace_id = $1::uuid AND ") +
          (by_id ? "id = $2::uuid" : "number = $2") + (lock ? " FOR UPDATE" : ""),
      ref.workspace.id, booking);
  if (rows.empty())
    throw NotFoundError("booking " + booking + " does not exist in workspace " + workspace,
                        "list them with `wfa booking list --workspace " + workspace + "`");
  const auto& row = rows[0];
  ref.id = row[0].as<std::string>();
  ref.number = row[1].as<std::string>();
  ref.status = row[2].as<std::string>();
  ref.owner_user_id = row[3].as<std::string>();
  ref.total = row[4].as<std::int64_t>();
  ref.currency = row[5].as<std::string>();
  if (!permission.empty())
    require_workspace(tx, actor_of(tx, session), ref.workspace, workspace, permission, RecordRef{"booking", ref.id});
  return ref;
}

std::string total_sql(const std::string& booking, const std::string& currency) {
  return "round(" + booking + ".total::numeric / power(10::numeric, " + currency + ".exponent), " + currency +
         ".exponent)";
}

std::vector<std::pair<std::string, Cell>> booking_fields(pqxx::transaction_base& tx, const std::string& ws_id,
                                                         const std::string& id) {
  return to_fields(tx.exec_params(
      "SELECT b.number, b.client_name AS client, b.status, (SELECT string_agg(l.location_key, ',' ORDER BY"
      " l.location_key) FROM booking_order_locations bl JOIN locations l ON l.workspace_id = bl.workspace_id AND l.id"
      " = bl.location_id WHERE bl.workspace_id = b.workspace_id AND bl.booking_id = b.id) AS locations,"
      " (SELECT min(start_date)::text FROM booking_order_locations WHERE workspace_id = b.workspace_id AND booking_id"
      " = b.id) AS start_date, (SELECT max(end_date)::text FROM booking_order_locations WHERE workspace_id ="
      " b.workspace_id AND booking_id = b.id) AS end_date, b.currency, " +
          total_sql("b", "cur") +
          " AS total, u.email AS owner, b.proposal_id,"
          " b.notes, (SELECT count(*) FROM documents d WHERE d.workspace_id = b.workspace_id AND d.entity_type ="
          " 'booking' AND d.entity_id = b.id::text) AS documents, b.id, b.workspace_id, b.created_by, " +
          utc_sql("b.submitted_at") + " AS submitted_at, " + utc_sql("b.decided_at") + " AS decided_at, " +
          utc_sql("b.created_at") + " AS created_at, " + utc_sql("b.updated_at") +
          " AS updated_at, b.total AS total_minor FROM booking_orders b JOIN currencies cur ON cur.code = b.currency"
          " LEFT JOIN users u ON u.id = b.owner_user_id"
          " WHERE b.workspace_id = $1::uuid AND b.id = $2::uuid",
      ws_id, id));
}

std::vector<OccupancyClaim> booking_claims(pqxx::transaction_base& tx, const std::string& ws_id,
                                           const std::string& booking_id) {
  std::vector<OccupancyClaim> out;
  for (const auto& row : tx.exec_params(
           "SELECT bl.location_id, l.location_key, bl.start_date::text, bl.end_date::text, bl.share_bp"
           " FROM booking_order_locations bl JOIN locations l ON l.workspace_id = bl.workspace_id AND l.id ="
           " bl.location_id WHERE bl.workspace_id = $1::uuid AND bl.booking_id = $2::uuid ORDER BY l.location_key",
           ws_id, booking_id))
    out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                   row[3].as<std::string>(), row[4].as<int>()});
  return out;
}

void only_visible_bookings(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                           ListQuery& query) {
  only_visible_records(tx, session, ws, query, "booking", "sales:bookings:read", "b.workspace_id", "b.id::text");
}

WorkflowStep default_step() { return {1, "approval", "sales:bookings:approve", std::nullopt}; }

std::vector<WorkflowStep> workflow_of(pqxx::transaction_base& tx, const std::string& ws_id) {
  std::vector<WorkflowStep> out;
  for (const auto& row : tx.exec_params("SELECT position, name, permission, min_total_aed FROM booking_workflow_steps"
                                        " WHERE workspace_id = $1::uuid ORDER BY position",
                                        ws_id)) {
    WorkflowStep step{row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>(), std::nullopt};
    if (!row[3].is_null()) step.min_total_aed = row[3].as<std::int64_t>();
    out.push_back(std::move(step));
  }
  if (out.empty()) out.push_back(default_step());
  return out;
}

namespace {

constexpr std::size_t max_document_bytes = 25u << 20;

/// document_type is the media type of a document named PATH whose content is BYTES, or "" when it is none wfa keeps:
/// the extension says what it claims to be and the first bytes must agree.
std::string document_type(const std::filesystem::path& path, const std::string& bytes) {
  auto ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto starts = [&](std::string_view magic) { return bytes.compare(0, magic.size(), magic) == 0; };
  if (ext == ".pdf" && starts("%PDF-")) return "application/pdf";
  if (ext == ".png" && starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if ((ext == ".jpg" || ext == ".jpeg") && starts("\xff\xd8\xff")) return "image/jpeg";
  if (ext == ".docx" && starts("PK\x03\x04"))
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  if (ext == ".xlsx" && starts("PK\x03\x04"))
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  return "";
}

}  // namespace

std::vector<std::string> attach_documents(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                                          const std::string& entity_type, const std::string& entity_id,
                                          const std::vector<std::string>& files, const std::string& actor,
                                          bool dry_run) {
  std::vector<std::string> names;
  for (const auto& file : files) {
    std::filesystem::path path(file);
    auto name = path.filename().string();
    if (std::find(names.begin(), names.end(), name) != names.end())
      throw UsageError("document " + name + " is given twice", "give each file once");
    auto bytes = read_input_file(file, "document", max_document_bytes);
    auto type = document_type(path, bytes);
    if (type.empty())
      throw InvalidInputError(
          "document " + file + " is not a PDF, PNG, JPEG, DOCX or XLSX file (by its name and content)",
          "attach the signed order or artwork as one of those types");
    auto kind = path.extension().string().substr(1);
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto stored = dry_run ? blob_address("documents", bytes, kind)
                          : store_blob(file_store_root(session), "documents", bytes, kind);
    auto inserted = tx.exec_params(
        "INSERT INTO documents (workspace_id, entity_type, entity_id, file_name, path, sha256, media_type, bytes,"
        " created_by) VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (workspace_id, entity_type,"
        " entity_id, file_name) DO NOTHING RETURNING 1",
        ws.id, entity_type, entity_id, name, stored.relative_path, stored.sha256, type,
        static_cast<std::int64_t>(stored.bytes), actor);
    if (inserted.empty())
      throw ConflictError("a document named " + name + " is already attached to this " + entity_type,
                          "rename the file to attach it as well");
    names.push_back(name);
  }
  return names;
}

}  // namespace wfa
