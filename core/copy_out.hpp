#pragma once
/// Exports stream through PostgreSQL's COPY ... TO STDOUT: the server formats the rows (CSV) and wfa passes the
/// bytes on as they arrive, as fast as `psql \copy`, with memory flat whatever the row count.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// CopySink takes one message of the server's COPY data (libpq hands them over a row at a time; the first of a
/// binary COPY also holds its header); false stops the export: the query is cancelled and the rest drained.
using CopySink = std::function<bool(std::string_view data)>;

/// copy_out runs COPY_STATEMENT (a complete `COPY (...) TO STDOUT ...`; COPY takes no bind parameters, so values
/// in it must be quoted with tx.quote) inside TX and hands what the server sends to SINK. It returns the row count
/// the server reports (0 once SINK stopped it). After a stop the transaction can only be aborted.
std::int64_t copy_out(pqxx::dbtransaction& tx, const std::string& copy_statement, const CopySink& sink);

/// copy_out to OUT writes the bytes as they arrive; when OUT fails (a closed pipe) it stops.
std::int64_t copy_out(pqxx::dbtransaction& tx, const std::string& copy_statement, std::ostream& out);

}  // namespace wfa
