#pragma once
/// `wfa booking`: booking orders — a client's order for locations over dates — made from a logged proposal or from
/// flags, moved draft → submitted → approved | rejected (or cancelled) through the workspace's approval workflow,
/// with documents from the file store; approving takes the share of voice on every location (location_occupations).
#include <optional>
#include <string>
#include <vector>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct BookingCreateOptions {
  std::string workspace;                ///< id or PARTNER/SLUG
  std::optional<std::string> proposal;  ///< a logged proposal's id: client, locations, dates, currency and total
  std::optional<std::string> client;
  std::vector<std::string> locations;   ///< location keys
  std::optional<std::string> from, to;  ///< YYYY-MM-DD, inclusive
  std::optional<std::string> share;     ///< share of voice in percent (default 100)
  std::optional<std::string> total;     ///< major units of the currency
  std::optional<std::string> currency;  ///< default AED
  std::optional<std::string> notes;
  std::vector<std::string> documents;  ///< files to attach
  std::optional<std::string> owner;    ///< e-mail or id of a member; default the acting user
  bool dry_run = false;
};

struct BookingListOptions {
  std::string workspace;
  std::optional<std::string> status;
  std::optional<std::string> owner;     ///< e-mail or id
  std::optional<std::string> location;  ///< location key
  Paging paging;
};

struct BookingShowOptions {
  std::string booking;  ///< id or number (BO-2026-0001)
  std::string workspace;
};

/// BookingDecisionOptions serve submit, approve, reject and cancel: one decision with an optional comment.
struct BookingDecisionOptions {
  std::string booking;
  std::string workspace;
  std::optional<std::string> comment;
  bool dry_run = false;
};

struct BookingAttachOptions {
  std::string booking;
  std::string workspace;
  std::vector<std::string> files;
  bool dry_run = false;
};

struct BookingWorkflowShowOptions {
  std::string workspace;
};

struct BookingWorkflowSetOptions {
  std::string workspace;
  std::vector<std::string> steps;  ///< NAME=PERMISSION[@MIN_TOTAL_AED], in order
  bool reset = false;              ///< back to the default single step
  bool dry_run = false;
};

Result run_booking_create(const BookingCreateOptions& options, Session& session);
Result run_booking_list(const BookingListOptions& options, Session& session);
Result run_booking_show(const BookingShowOptions& options, Session& session);
/// run_booking_submit sends a draft into the workflow: its applicable steps are copied and the first awaits.
Result run_booking_submit(const BookingDecisionOptions& options, Session& session);
/// run_booking_approve decides the awaiting step; the last one approves the booking and takes its share of voice.
Result run_booking_approve(const BookingDecisionOptions& options, Session& session);
/// run_booking_reject ends a submitted booking at its awaiting step; a comment is required.
Result run_booking_reject(const BookingDecisionOptions& options, Session& session);
/// run_booking_cancel withdraws a draft, submitted or approved booking; an approved one frees its share of voice.
Result run_booking_cancel(const BookingDecisionOptions& options, Session& session);
Result run_booking_attach(const BookingAttachOptions& options, Session& session);
Result run_booking_workflow_show(const BookingWorkflowShowOptions& options, Session& session);
Result run_booking_workflow_set(const BookingWorkflowSetOptions& options, Session& session);

}  // namespace wfa
