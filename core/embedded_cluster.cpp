#include "core/embedded_cluster.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <fstream>
#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/nontransaction>

#include "core/error.hpp"
#include "core/paths.hpp"

namespace fs = std::filesystem;

namespace wfa {

namespace {

std::string read_first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

/// tail_lines returns the last lines of a server log for an error message's context.
std::string last_log_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

/// FileLock serialises cluster set-up between wfa processes sharing a data directory.
class FileLock {
 public:
  explicit FileLock(const fs::path& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0)
      throw Error(ErrorCategory::invalid_input,
                  "cannot create lock file " + path.string() + ": " + std::strerror(errno),
                  "check that the data directory is writable");
    while (flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  ~FileLock() { ::close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

/// traversable_by checks that ACCOUNT can reach PATH: each ancestor must grant search permission.
std::optional<fs::path> blocked_ancestor(const fs::path& path, const Account& account) {
  for (fs::path p = path.parent_path(); !p.empty(); p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) == 0) {
      bool ok = (st.st_mode & S_IXOTH) || (st.st_uid == account.uid && (st.st_mode & S_IXUSR)) ||
                (st.st_gid == account.gid && (st.st_mode & S_IXGRP));
      if (!ok) return p;
    }
    if (p == p.root_path()) break;
  }
  return std::nullopt;
}

}  // namespace

std::string conninfo_quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

EmbeddedCluster::EmbeddedCluster(ClusterSettings settings) : settings_(std::move(settings)) {
  settings_.dir = fs::absolute(settings_.dir).lexically_normal();
}

std::string EmbeddedCluster::bindir() const {
  if (!bindir_.empty()) return bindir_;
  std::vector<fs::path> candidates;
  if (!settings_.bindir.empty()) candidates.emplace_back(settings_.bindir);
  std::error_code ec;
  std::vector<fs::path> versions;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) versions.push_back(entry.path() / "bin");
  std::sort(versions.begin(), versions.end(), [](const fs::path& a, const fs::path& b) {
    return std::stoi("0" + a.parent_path().filename().string()) > std::stoi("0" + b.parent_path().filename().string());
  });
  candidates.insert(candidates.end(), versions.begin(), versions.end());
  if (auto initdb = find_executable("initdb"); !initdb.empty()) candidates.push_back(initdb.parent_path());
  for (const auto& dir : candidates) {
    if (access((dir / "initdb").c_str(), X_OK) == 0 && access((dir / "pg_ctl").c_str(), X_OK) == 0) {
      bindir_ = dir.string();
      return bindir_;
    }
  }
  if (!settings_.bindir.empty())
    throw TemporaryError("PostgreSQL server binaries (initdb, pg_ctl) not found in " + settings_.bindir,
                         "fix WFA_PG_BINDIR or install them: apt-get install postgresql-15");
  throw TemporaryError("PostgreSQL server binaries (initdb, pg_ctl) not found",
                       "install them: apt-get install postgresql-15 (or set WFA_PG_BINDIR), or set WFA_DATABASE_URL to "
                       "use an external server");
}

ProcessOptions EmbeddedCluster::server_process() const {
  ProcessOptions options;
  options.cwd = settings_.dir.parent_path();
  options.unset_env = {"PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS"};
  options.set_env["LC_ALL"] = "C";
  if (!running_as_root()) return options;
  auto account = lookup_account(settings_.service_user);
  if (!account || account->uid == 0)
    throw InvalidInputError(
        "cannot run the embedded PostgreSQL as root and account '" + settings_.service_user + "' does not exist",
        "create it (scripts/install-deps.sh does: useradd --system --user-group --no-create-home --shell "
        "/usr/sbin/nologin " +
            settings_.service_user + ") or set WFA_PG_USER to an unprivileged account of wfa's alone");
  if (auto blocked = blocked_ancestor(settings_.dir, *account))
    throw InvalidInputError(
        "account '" + account->name + "' that runs the embedded PostgreSQL cannot enter " + blocked->string(),
        "choose a WFA_DATA_DIR outside it (default for root: /var/lib/wfa)");
  options.run_as = account;
  options.cwd = settings_.dir;
  return options;
}

bool EmbeddedCluster::initialized() const {
  std::error_code ec;
  return fs::exists(settings_.dir / "PG_VERSION", ec);
}

bool EmbeddedCluster::running() const {
  std::error_code ec;
  if (!fs::exists(settings_.dir / ".s.PGSQL.5432", ec)) return false;
  return PQping(conninfo("postgres").c_str()) == PQPING_OK;
}

ClusterStatus EmbeddedCluster::status() const {
  ClusterStatus s;
  s.initialized = initialized();
  s.running = s.initialized && running();
  if (s.initialized) s.server_version = read_first_line(settings_.dir / "PG_VERSION");
  try {
    s.bindir = bindir();
  } catch (const Error&) {
  }
  return s;
}

std::string EmbeddedCluster::conninfo(const std::string& dbname, const std::string& role) const {
  return "host=" + conninfo_quote(settings_.dir.string()) + " port=" + std::to_string(port) + " user=" + role +
         " dbname=" + conninfo_quote(dbname) + " application_name=wfa";
}

namespace {

constexpr const char* marker_name = "wfa-cluster";
constexpr const char* local_only_hba =
    "# Written by wfa: the only way in is the socket inside the data directory, which only the server's\n"
    "# account (and root) can enter; TCP is not listened on at all.\n"
    "local all all trust\n";

/// shell_quote quotes a word for the shell pg_ctl passes its -o options through.
std::string shell_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void write_text(const fs::path& path, const std::string& text, bool append) {
  std::ofstream out(path, append ? std::ios::app : std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw TemporaryError("cannot write " + path.string() + ": " + std::strerror(errno), "check the disk space");
}

/// remove_stale_inits deletes the set-up directories of runs that were killed; the caller holds the set-up lock,
/// so no live run owns one.
void remove_stale_inits(const fs::path& dir) {
  std::error_code ec;
  auto prefix = dir.filename().string() + ".init-";
  for (fs::directory_iterator it(dir.parent_path(), ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) {
      // initdb's own bootstrap child may still be writing there for a moment after initdb died: retry briefly.
      for (int attempt = 0; attempt < 30 && fs::exists(it->path(), ec); ++attempt) {
        fs::remove_all(it->path(), ec);
        if (fs::exists(it->path(), ec)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
}

}  // namespace

bool EmbeddedCluster::set_up_by_wfa() const {
  std::error_code ec;
  if (fs::exists(settings_.dir / marker_name, ec)) return true;
  // A cluster of a wfa from before the marker: its configuration ends with wfa's block, which that version
  // appended only after initdb had finished. It gets the local-only pg_hba.conf and the marker now.
  std::ifstream conf(settings_.dir / "postgresql.conf");
  std::string line;
  bool ours = false;
  while (!ours && std::getline(conf, line)) ours = line.rfind("# Written by wfa: the embedded cluster", 0) == 0;
  if (!ours) return false;
  write_text(settings_.dir / "pg_hba.conf", local_only_hba, false);
  write_text(settings_.dir / marker_name, "set up by wfa\n", false);
  return true;
}

void EmbeddedCluster::refuse_foreign() const {
  throw InvalidInputError("the data directory " + settings_.dir.string() +
                              " was not set up by wfa (an interrupted set-up, or another server's)",
                          "move it away (mv " + settings_.dir.string() + " " + settings_.dir.string() +
                              ".old) and run `wfa db init` again");
}

void EmbeddedCluster::init() {
  std::error_code ec;
  if (initialized()) {
    if (!set_up_by_wfa()) refuse_foreign();
    return;
  }
  if (fs::exists(settings_.dir, ec) && !fs::is_empty(settings_.dir, ec)) refuse_foreign();
  auto socket_path = settings_.dir / ".s.PGSQL.5432";
  if (socket_path.string().size() > 107)
    throw InvalidInputError("data directory path is too long for a Unix socket: " + settings_.dir.string(),
                            "choose a shorter WFA_DATA_DIR (at most ~90 characters)");
  auto options = server_process();
  options.die_with_parent = true;
  remove_stale_inits(settings_.dir);
  // initdb and the configuration go to a sibling that is renamed into place only once complete: a killed set-up
  // leaves nothing at DIR that a later run could start with initdb's defaults.
  auto staging =
      settings_.dir.parent_path() / (settings_.dir.filename().string() + ".init-" + std::to_string(getpid()));
  fs::create_directories(settings_.dir.parent_path(), ec);
  if (::mkdir(staging.c_str(), 0700) != 0)
    throw InvalidInputError("cannot create " + staging.string() + ": " + std::strerror(errno), "check WFA_DATA_DIR");
  // Handed over through a descriptor of the directory just made, so nothing swapped in at its name is changed.
  int staged = ::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  bool handed = staged >= 0 && (!options.run_as || ::fchown(staged, options.run_as->uid, options.run_as->gid) == 0);
  int error = errno;
  if (staged >= 0) ::close(staged);
  if (!handed)
    throw InvalidInputError("cannot hand " + staging.string() + " to account " +
                            (options.run_as ? options.run_as->name : std::string("wfa")) + ": " + std::strerror(error));
  if (options.run_as) options.cwd = staging;  // DIR does not exist yet, and the account may not enter its parent
  std::vector<std::string> argv = {
      bindir() + "/initdb", "-D", staging.string(), "-U",          superuser,          "--auth-local=trust",
      "--auth-host=reject", "-E", "UTF8",           "--no-locale", "--no-instructions"};
  if (settings_.throwaway) argv.push_back("--no-sync");
  auto r = run_process(argv, options);
  if (r.exit_code != 0) {
    fs::remove_all(staging, ec);
    auto msg = r.err.empty() ? r.out : r.err;
    throw Error(ErrorCategory::unexpected,
                "initdb failed in " + staging.string() + ": " + msg.substr(0, msg.find('\n')));
  }
  std::string conf =
      "\n# Written by wfa: the embedded cluster listens only on its own Unix socket.\n"
      "listen_addresses = ''\n"
      "unix_socket_directories = '" +
      settings_.dir.string() +
      "'\n"
      "unix_socket_permissions = 0700\n"
      "port = " +
      std::to_string(port) + "\n";
  if (settings_.throwaway)
    conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n";
  // Bursts of small writes (webhooks, calls) fill 1 GB of WAL in seconds: a checkpoint then would stall the commits
  // answered meanwhile, so checkpoints come by time and spread over it.
  conf += "shared_buffers = 256MB\nmax_wal_size = 4GB\nmin_wal_size = 256MB\ncheckpoint_timeout = 15min\n"
          "wal_buffers = 32MB\n";
  write_text(staging / "postgresql.conf", conf, true);
  write_text(staging / "pg_hba.conf", local_only_hba, false);
  write_text(staging / marker_name, "set up by wfa\n", false);
  for (const char* name : {"postgresql.conf", "pg_hba.conf", marker_name})
    if (options.run_as) (void)::chown((staging / name).c_str(), options.run_as->uid, options.run_as->gid);
  if (!settings_.throwaway) ::sync();
  // An empty DIR (made by hand, or by an older wfa) is replaced; rename(2) does that atomically.
  if (::rename(staging.c_str(), settings_.dir.c_str()) != 0) {
    auto why = std::string(std::strerror(errno));
    fs::remove_all(staging, ec);
    throw InvalidInputError("cannot move the new cluster into " + settings_.dir.string() + ": " + why,
                            "check WFA_DATA_DIR");
  }
}

void EmbeddedCluster::start() {
  if (running()) return;
  if (!set_up_by_wfa()) refuse_foreign();
  auto options = server_process();
  auto log = settings_.dir / "server.log";
  // The command line overrides any file: whatever is in the configuration, the server listens on no TCP port
  // and on no socket outside its data directory.
  std::string only_here = "-c listen_addresses= -c " + shell_quote("unix_socket_directories=" + settings_.dir.string());
  auto r = run_process({bindir() + "/pg_ctl", "-D", settings_.dir.string(), "-l", log.string(), "-o", only_here, "-w",
                        "-t", "60", "start"},
                       options);
  if (r.exit_code != 0 || !running()) {
    auto last = last_log_line(log);
    throw TemporaryError(
        "embedded PostgreSQL in " + settings_.dir.string() + " did not start" + (last.empty() ? "" : ": " + last),
        "see " + log.string());
  }
}

bool EmbeddedCluster::stop() {
  if (!initialized() || !running()) return false;
  auto r = run_process({bindir() + "/pg_ctl", "-D", settings_.dir.string(), "-m", "fast", "-w", "-t", "60", "stop"},
                       server_process());
  if (r.exit_code != 0) throw TemporaryError("embedded PostgreSQL did not stop: " + r.err.substr(0, r.err.find('\n')));
  return true;
}

void EmbeddedCluster::create_database(const std::string& dbname, bool& created) {
  pqxx::connection conn(conninfo("postgres"));
  pqxx::nontransaction tx(conn);
  auto exists = tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", dbname);
  if (!exists.empty()) return;
  tx.exec("CREATE DATABASE " + tx.quote_name(dbname));
  created = true;
}

void EmbeddedCluster::check_ownership() const {
  auto refuse = [](const fs::path& p, const std::string& why) {
    throw InvalidInputError("the data directory is not safe to use: " + p.string() + " " + why,
                            "use a WFA_DATA_DIR that only you (or root) own and can write, with no symbolic link in "
                            "it that another user owns");
  };
  uid_t me = ::geteuid();
  auto data_dir = settings_.dir.parent_path();
  // Like ssh with ~/.ssh: every ancestor must be root's or ours and not writable by others unless sticky; a
  // symbolic link on the way is acceptable only when root made it.
  for (fs::path p = data_dir.root_path(); auto part : data_dir.relative_path()) {
    p /= part;
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) break;  // the rest is made below, by us
    bool last = p == data_dir;
    if (S_ISLNK(st.st_mode)) {
      if (last || st.st_uid != 0) refuse(p, "is a symbolic link" + std::string(last ? "" : " another user owns"));
      continue;
    }
    if (st.st_uid != me && st.st_uid != 0) refuse(p, "belongs to another user (uid " + std::to_string(st.st_uid) + ")");
    bool others_write = (st.st_mode & S_IWOTH) || (last && (st.st_mode & S_IWGRP));
    if (others_write && !(!last && (st.st_mode & S_ISVTX))) refuse(p, "is writable by other users");
  }
  struct stat st {};
  if (::lstat(settings_.dir.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) refuse(settings_.dir, "is a symbolic link");
    uid_t server = me;
    if (running_as_root())
      if (auto account = lookup_account(settings_.service_user)) server = account->uid;
    if (st.st_uid != server && st.st_uid != me) {
      const passwd* owner = ::getpwuid(st.st_uid);
      std::string name = owner ? owner->pw_name : std::to_string(st.st_uid);
      throw InvalidInputError("the cluster in " + settings_.dir.string() + " belongs to account " + name + ", not to " +
                                  settings_.service_user + ", the account set to run it",
                              "if " + name + " is wfa's own, set WFA_PG_USER=" + name + "; else `chown -R " +
                                  settings_.service_user + " " + settings_.dir.string() + "`");
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) refuse(settings_.dir, "is writable by other users");
  }
}

bool EmbeddedCluster::ensure_running(const std::string& dbname) {
  check_ownership();
  auto data_dir = settings_.dir.parent_path();
  // The server's account only has to pass through the data directory, never to list or write it.
  for (auto missing = data_dir; !missing.empty() && ::mkdir(missing.c_str(), running_as_root() ? 0711 : 0700) != 0;) {
    if (errno == EEXIST) break;
    if (errno != ENOENT || missing == missing.parent_path())
      throw InvalidInputError("cannot create the data directory " + data_dir.string() + ": " + std::strerror(errno),
                              "check WFA_DATA_DIR");
    std::error_code ec;
    fs::create_directories(missing.parent_path(), ec);
  }
  FileLock lock(settings_.dir.parent_path() / (settings_.dir.filename().string() + ".lock"));
  init();
  start();
  bool created = false;
  create_database(dbname, created);
  return created;
}

}  // namespace wfa
