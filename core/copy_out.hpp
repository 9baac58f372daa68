#pragma once
/// Exports stream through PostgreSQL's COPY ... TO STDOUT: the server formats the rows (CSV) and wfa passes the
/// bytes on as they arrive, as fast as `psql \copy`, with memory flat whatever the row count.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

/// copy_out runs COPY_STATEMENT (a complete `COPY (...) TO STDOUT ...`; COPY takes no bind parameters, so values
/// in it must be quoted with tx.quote) inside TX and writes what the server sends to OUT. It returns the row count.
/// When OUT fails (a closed pipe) it stops reading and the transaction can only be aborted.
std::int64_t copy_out(pqxx::dbtransaction& tx, const std::string& copy_statement, std::ostream& out);

}  // namespace wfa
