#pragma once
/// Forward declarations of the libpqxx 6.4 types wfa's headers mention, so that only the
/// .cpp files pay for <pqxx/pqxx>. pqxx::connection is an alias of a template there.
namespace pqxx {
class connection_base;
class connect_direct;
template <typename ConnectPolicy>
class basic_connection_base;
using connection = basic_connection_base<connect_direct>;
class result;
class row;
class transaction_base;
class dbtransaction;
}  // namespace pqxx
