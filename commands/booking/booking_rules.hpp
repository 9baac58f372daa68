#pragma once
/// Rules every booking verb shares: statuses, finding a booking with the actor's rights on it, its fields, its
/// share-of-voice claims, the workflow (as data, with its default), who may see which bookings, and documents.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/pqxx_fwd.hpp"
#include "core/result.hpp"
#include "core/validation.hpp"
#include "commands/location/occupancy.hpp"
#include "commands/tenancy/tenancy_lookup.hpp"

namespace wfa {

class Session;
class ListQuery;

inline const Choices booking_statuses = {"draft", "submitted", "approved", "rejected", "cancelled"};

/// check_free_text accepts TEXT (notes, a decision's comment) when it has some text, at most MAX_CHARS characters and
/// no control characters but line breaks; InvalidInputError (6) naming FIELD otherwise.
std::string check_free_text(std::string_view field, const std::string& text, std::size_t max_chars);

/// BookingRef is a found booking, with the workspace it was found in.
struct BookingRef {
  WorkspaceRef workspace;
  std::string label;  ///< the workspace as the user typed it
  std::string id;
  std::string number;  ///< BO-YEAR-NNNN
  std::string status;
  std::string owner_user_id;  ///< "" when nobody owns it
  std::int64_t total = 0;
  std::string currency;
};

/// booking_for finds BOOKING (an id or a number) in WORKSPACE for the session's actor: members of the workspace pass
/// the first check (exit 5 otherwise), an unknown booking is exit 3 (a malformed one 6), and then the actor needs
/// PERMISSION (sales:bookings:ACTION) through a grant or their access to this booking (exit 5). With PERMISSION empty
/// only the workspace check is made. LOCK takes the row FOR UPDATE.
BookingRef booking_for(pqxx::transaction_base& tx, const Session& session, const std::string& workspace,
                       const std::string& booking, std::string_view permission, bool lock = false);

/// total_sql is the total of BOOKING (an alias of booking_orders) in major units of CURRENCY (an alias of currencies).
std::string total_sql(const std::string& booking, const std::string& currency);

/// booking_fields is one booking as output fields (what `booking list` shows, then ids, amounts and times).
std::vector<std::pair<std::string, Cell>> booking_fields(pqxx::transaction_base& tx, const std::string& ws_id,
                                                         const std::string& id);

/// booking_claims are the booking's locations as share-of-voice claims.
std::vector<OccupancyClaim> booking_claims(pqxx::transaction_base& tx, const std::string& ws_id,
                                           const std::string& booking_id);

/// only_visible_bookings limits QUERY (booking_orders aliased b) to the bookings the session's actor may read: every
/// booking with a grant of sales:bookings:read, else those their record access reaches.
void only_visible_bookings(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                           ListQuery& query);

/// WorkflowStep is one step of a workspace's approval workflow.
struct WorkflowStep {
  int position = 0;
  std::string name;
  std::string permission;
  std::optional<std::int64_t> min_total_aed;  ///< fils; the step applies from this total up
};

/// default_step is the workflow of a workspace that defines none: one step needing sales:bookings:approve.
WorkflowStep default_step();
/// workflow_of is the workspace's steps in order, or {default_step()} when it defines none.
std::vector<WorkflowStep> workflow_of(pqxx::transaction_base& tx, const std::string& ws_id);

/// attach_documents stores FILES (PDF, PNG, JPEG, DOCX or XLSX, at most 25 MiB each) in the file store and records
/// them as documents of ENTITY_TYPE/ENTITY_ID; a file name already attached there is ConflictError (4). Under
/// DRY_RUN nothing is written to the store. Returns the names attached.
std::vector<std::string> attach_documents(pqxx::transaction_base& tx, const Session& session, const WorkspaceRef& ws,
                                          const std::string& entity_type, const std::string& entity_id,
                                          const std::vector<std::string>& files, const std::string& actor,
                                          bool dry_run);

}  // namespace wfa
