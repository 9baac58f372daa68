// The pool: handles made up front, each connecting on first use and reconnecting after a failure (Database::ready).
#include "serve/database_pool.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "core/database.hpp"
#include "core/error.hpp"

namespace wfa::serve {

DatabaseTarget serve_target(const Config& settings) {
  auto target = DatabaseTarget::from_config(settings);
  target.role = Database::serve_role;
  if (const auto& url = settings.value("serve_database_url"); !url.empty()) target.url = url;
  return target;
}

namespace {

/// The tenant set is a session setting, not SET LOCAL: a request runs many transactions of the verbs. The lease sets
/// it once the caller is known and clears it when it goes back; a connection it cannot clear is dropped.
constexpr const char* tenant_setting = "wfa.workspace_ids";

}  // namespace

DatabasePool::DatabasePool(const Config& settings, std::size_t size) {
  for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
    all_.push_back(std::make_unique<Database>(serve_target(settings)));
    free_.push_back(all_.back().get());
  }
}

DatabasePool::~DatabasePool() = default;

std::vector<std::string> DatabasePool::Lease::scope_to(const std::string& user_id, const std::string& partner_id) {
  pqxx::nontransaction tx(database_->ready());
  auto row =
      tx.exec_params("SELECT set_config($1, array_to_string(wfa_caller_workspaces($2::uuid, $3::uuid), ','), false)",
                     tenant_setting, user_id, partner_id);
  std::vector<std::string> ids;
  std::string list = row[0][0].as<std::string>();
  for (std::size_t at = 0; at < list.size();) {
    auto comma = std::min(list.find(',', at), list.size());
    ids.push_back(list.substr(at, comma - at));
    at = comma + 1;
  }
  return ids;
}

DatabasePool::Lease::~Lease() {
  if (!pool_) return;
  {  // every lease ends unscoped, whoever set the scope (scope_to, or an invitation being accepted)
    try {
      pqxx::nontransaction tx(database_->connect());
      tx.exec_params("SELECT set_config($1, '', false)", tenant_setting);
    } catch (...) {
      database_->reset_connection();  // a new connection starts with no tenant
    }
  }
  pool_->give_back(database_);
}

DatabasePool::Lease DatabasePool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  ++waiting_;
  bool got = freed_.wait_for(lock, wait, [&] { return !free_.empty(); });
  --waiting_;
  if (!got) throw TemporaryError("every database connection is busy", "retry in a moment");
  auto* database = free_.back();
  free_.pop_back();
  return Lease(*this, *database);
}

void DatabasePool::give_back(Database* database) {
  {
    std::lock_guard lock(mutex_);
    free_.push_back(database);
  }
  freed_.notify_one();
}

std::size_t DatabasePool::in_use() const {
  std::lock_guard lock(mutex_);
  return all_.size() - free_.size();
}

std::size_t DatabasePool::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_;
}

}  // namespace wfa::serve
