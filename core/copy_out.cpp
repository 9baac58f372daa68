#include "core/copy_out.hpp"

#include <libpq-fe.h>

#include <ostream>
#include <pqxx/largeobject>
#include <pqxx/transaction>

#include "core/error.hpp"

namespace wfa {

namespace {

/// libpqxx 6.4 keeps the connection handle protected; largeobject exposes it to subclasses for exactly this kind
/// of raw libpq call inside a transaction.
struct RawConnection : pqxx::largeobject {
  static PGconn* of(const pqxx::dbtransaction& tx) { return pqxx::largeobject::raw_connection(tx); }
};

std::string server_message(PGconn* conn) {
  std::string message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace

std::int64_t copy_out(pqxx::dbtransaction& tx, const std::string& copy_statement, const CopySink& sink) {
  PGconn* conn = RawConnection::of(tx);
  PGresult* started = PQexec(conn, copy_statement.c_str());
  bool copying = PQresultStatus(started) == PGRES_COPY_OUT;
  std::string failure = copying ? "" : server_message(conn);
  PQclear(started);
  if (!copying) throw Error(ErrorCategory::unexpected, "export query failed: " + failure);
  bool stopped = false;
  for (;;) {
    char* buffer = nullptr;
    int n = PQgetCopyData(conn, &buffer, 0);
    if (n == -1) break;
    if (n == -2) throw TemporaryError("the database connection failed during the export: " + server_message(conn));
    if (!stopped && !sink(std::string_view(buffer, static_cast<std::size_t>(n)))) {
      // The reader went away or the work was cancelled: cancel the query on the server, then drain what is in
      // flight.
      stopped = true;
      if (PGcancel* cancel = PQgetCancel(conn)) {
        char why[256];
        PQcancel(cancel, why, sizeof why);
        PQfreeCancel(cancel);
      }
    }
    PQfreemem(buffer);
  }
  std::int64_t rows = 0;
  while (PGresult* done = PQgetResult(conn)) {
    if (PQresultStatus(done) == PGRES_COMMAND_OK) {
      const char* tuples = PQcmdTuples(done);
      if (tuples != nullptr && *tuples != '\0') rows = std::stoll(tuples);
    } else {
      failure = PQresultErrorMessage(done);
    }
    PQclear(done);
  }
  if (!failure.empty() && !stopped) throw Error(ErrorCategory::unexpected, "export query failed: " + failure);
  return stopped ? 0 : rows;
}

std::int64_t copy_out(pqxx::dbtransaction& tx, const std::string& copy_statement, std::ostream& out) {
  return copy_out(tx, copy_statement, [&out](std::string_view data) {
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    return static_cast<bool>(out);
  });
}

}  // namespace wfa
