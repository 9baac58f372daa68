// The secret keyring: the key file or WFA_SECRET_KEY, the database's record of the current key, and rotation.
#include "commands/secret/secret_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/transaction>

#include "core/database.hpp"
#include "core/error.hpp"
#include "core/file_io.hpp"
#include "core/session.hpp"

namespace wfa {

namespace fs = std::filesystem;

namespace {

fs::path key_file(const Session& session) { return fs::path(session.settings().value("data_dir")) / "secret.key"; }

fs::path next_key_file(const Session& session) { return key_file(session).string() + ".next"; }

/// read_key_file reads a key file that only its owner may read; a missing file gives nothing.
std::optional<SecretKey> read_key_file(const fs::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw InvalidInputError("cannot read the secret key file " + path.string() + ": " + std::strerror(errno),
                            "check its permissions");
  }
  if (!S_ISREG(st.st_mode))
    throw InvalidInputError("the secret key file " + path.string() + " is not a regular file",
                            "replace it with the key file itself, not a link");
  if (st.st_mode & 077)
    throw InvalidInputError("the secret key file " + path.string() + " may be read by other users",
                            "chmod 600 " + path.string());
  return SecretKey::parse(read_file(path, "secret key file"), "the secret key file " + path.string());
}

/// write_key_file writes KEY to PATH, 0600, synced; with EXCLUSIVE an existing file is left alone and read instead.
SecretKey write_key_file(const fs::path& path, const SecretKey& key, bool exclusive) {
  make_private_directories(path.parent_path());
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0600);
  if (fd < 0 && exclusive && errno == EEXIST) return *read_key_file(path);  // another process made it first
  if (fd < 0)
    throw InvalidInputError("cannot write the secret key file " + path.string() + ": " + std::strerror(errno),
                            "check that $WFA_DATA_DIR is writable");
  auto text = key.hex() + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw InvalidInputError("cannot write the secret key file " + path.string(), "check the disk");
  if (int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return key;
}

/// KnownKeys are the keys this process can reach, with where they came from, for messages.
struct KnownKeys {
  std::vector<SecretKey> keys;
  std::string source;
  bool from_file = false;
};

KnownKeys known_keys(Session& session, bool create) {
  KnownKeys known;
  const auto& setting = session.settings().get("secret_key");
  if (setting.is_set) {
    known.keys.push_back(SecretKey::parse(setting.value, "the secret key (" + setting.source + ")"));
    known.source = setting.source;
    return known;
  }
  known.from_file = true;
  known.source = key_file(session).string();
  auto main = read_key_file(key_file(session));
  auto next = read_key_file(next_key_file(session));
  if (!main && !next && create) main = write_key_file(key_file(session), SecretKey::generate(), true);
  if (main) known.keys.push_back(*main);
  if (next) known.keys.push_back(*next);
  return known;
}

std::string ids_of(const KnownKeys& known) {
  std::string ids;
  for (const auto& k : known.keys) ids += (ids.empty() ? "" : " and ") + k.id;
  return ids;
}

}  // namespace

std::string SecretKeyring::seal(std::string_view plaintext, std::string_view context) const {
  return seal_secret(current, plaintext, context);
}

std::string SecretKeyring::open(std::string_view sealed, std::string_view context, std::string_view what) const {
  auto id = sealed_key_id(sealed);
  if (id == current.id) return open_secret(current, sealed, context, what);
  for (const auto& key : others)
    if (key.id == id) return open_secret(key, sealed, context, what);
  throw InvalidInputError(
      std::string(what) + " is sealed with key " + (id.empty() ? "(none)" : id) + ", which this wfa does not have",
      "set WFA_SECRET_KEY (or $WFA_DATA_DIR/secret.key) to that key, or set the secret again");
}

SecretKeyring secret_keyring(Session& session, pqxx::transaction_base& tx) {
  auto state = tx.exec("SELECT current_key_id FROM secret_key_state FOR SHARE");
  auto known = known_keys(session, state.empty());
  if (known.keys.empty())
    throw UsageError("no secret key: " + known.source + " is missing, but the database's secrets are sealed with key " +
                         state[0][0].as<std::string>(),
                     "restore the key file from your backup, or set WFA_SECRET_KEY to that key");
  if (state.empty()) {
    tx.exec_params("INSERT INTO secret_key_state (current_key_id) VALUES ($1) ON CONFLICT DO NOTHING",
                   known.keys.front().id);
    state = tx.exec("SELECT current_key_id FROM secret_key_state FOR SHARE");
  }
  auto current_id = state[0][0].as<std::string>();
  SecretKeyring ring;
  bool found = false;
  for (auto& key : known.keys) {
    if (key.id == current_id && !found)
      ring.current = key, found = true;
    else
      ring.others.push_back(key);
  }
  if (!found)
    throw UsageError("the secret key (" + known.source + ") is " + ids_of(known) +
                         ", but the database's secrets are sealed with key " + current_id,
                     "set WFA_SECRET_KEY (or $WFA_DATA_DIR/secret.key) to the key with id " + current_id);
  // A rotation that committed but was stopped before it replaced the key file: finish it.
  if (known.from_file && known.keys.size() == 2 && ring.current.id == known.keys.back().id) {
    std::error_code ec;
    fs::rename(next_key_file(session), key_file(session), ec);
  }
  return ring;
}

SealedSecret seal_input(Session& session, pqxx::transaction_base& tx, std::string& secret, std::string_view context) {
  SealedSecret out{secret_keyring(session, tx).seal(secret, context), masked_secret(secret)};
  wipe_secret(secret);
  return out;
}

const std::vector<SealedColumn>& sealed_columns() {
  static const std::vector<SealedColumn> columns = {
      {"workspace_integrations", "api_key", "'workspace_integrations/' || workspace_id || '/' || provider",
       "workspace_id::text || '/' || provider", "workspace_id::text || '/' || provider = $2"},
      {"telegram_bots", "token", "'telegram_bots/' || partner_id", "partner_id::text", "partner_id::text = $2"},
      {"platform_secrets", "value", "'platform_secrets/' || name", "name", "name = $2"},
      {"telegram_bots", "webhook_secret", "'telegram_bots/' || partner_id || '/webhook'", "partner_id::text",
       "partner_id::text = $2"},
      {"workspace_integrations", "webhook_secret",
       "'workspace_integrations/' || workspace_id || '/' || provider || '/webhook'",
       "workspace_id::text || '/' || provider", "workspace_id::text || '/' || provider = $2"},
      {"phone_numbers", "credentials", "'phone_numbers/' || workspace_id || '/' || id",
       "workspace_id::text || '/' || id", "workspace_id::text || '/' || id = $2"},
  };
  return columns;
}

std::string integration_context(const std::string& workspace_id, const std::string& provider) {
  return "workspace_integrations/" + workspace_id + "/" + provider;
}

std::string integration_webhook_context(const std::string& workspace_id, const std::string& provider) {
  return integration_context(workspace_id, provider) + "/webhook";
}

RotationOutcome rotate_secret_key(Session& session, const std::string& new_key_text) {
  RotationOutcome outcome;
  outcome.key_file = !session.settings().get("secret_key").is_set;
  if (!outcome.key_file && new_key_text.empty())
    throw UsageError(
        "the secret key comes from " + session.settings().get("secret_key").source + ", so wfa cannot replace it",
        "give the new key with " + session.option("new-key-file") +
            " and set WFA_SECRET_KEY to it once the rotation is done");
  auto fresh = new_key_text.empty() ? SecretKey::generate() : SecretKey::parse(new_key_text, "the new secret key");
  auto& conn = session.database().ready();
  {
    pqxx::work tx(conn);
    auto ring = secret_keyring(session, tx);  // records the first key if there is no state yet
    tx.commit();
    outcome.old_id = ring.current.id;
  }
  if (fresh.id == outcome.old_id)
    throw UsageError("the new key is the key in use (" + fresh.id + ")", "give a different key");
  // The new key is on disk, synced, before any secret is sealed with it.
  if (outcome.key_file) write_key_file(next_key_file(session), fresh, false);
  pqxx::work tx(conn);
  tx.exec("SELECT current_key_id FROM secret_key_state FOR UPDATE");
  auto ring = secret_keyring(session, tx);
  for (const auto& column : sealed_columns()) {
    auto rows = tx.exec(std::string("SELECT ") + column.row_sql + ", " + column.context_sql + ", " + column.column +
                        " FROM " + column.table + " WHERE " + column.column + " IS NOT NULL FOR UPDATE");
    for (const auto& row : rows) {
      auto sealed = pqxx::binarystring(row[2]).str();
      auto context = row[1].as<std::string>();
      auto plain = ring.open(sealed, context, std::string(column.table) + " " + row[0].as<std::string>());
      tx.exec_params(
          std::string("UPDATE ") + column.table + " SET " + column.column + " = $1 WHERE " + column.row_where,
          pqxx::binarystring(seal_secret(fresh, plain, context)), row[0].as<std::string>());
      wipe_secret(plain);
      ++outcome.resealed;
    }
  }
  tx.exec_params("UPDATE secret_key_state SET current_key_id = $1, rotated_at = now()", fresh.id);
  tx.commit();
  if (outcome.key_file) fs::rename(next_key_file(session), key_file(session));
  outcome.new_id = fresh.id;
  return outcome;
}

}  // namespace wfa
