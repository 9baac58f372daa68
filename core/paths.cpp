#include "core/paths.hpp"

#include <pwd.h>
#include <unistd.h>

#include "build_info.hpp"

namespace wfa {

namespace {

std::filesystem::path home_dir(const EnvLookup& env) {
  if (auto home = env("HOME"); home && !home->empty()) return *home;
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_dir;
  return "/";
}

}  // namespace

bool running_as_root() { return geteuid() == 0; }

std::string current_user_name() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return std::to_string(geteuid());
}

std::filesystem::path default_data_dir(const EnvLookup& env) {
  if (running_as_root()) return "/var/lib/wfa";
  if (auto xdg = env("XDG_DATA_HOME"); xdg && !xdg->empty()) return std::filesystem::path(*xdg) / "wfa";
  return home_dir(env) / ".local/share/wfa";
}

std::filesystem::path default_config_file(const EnvLookup& env) {
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg && !xdg->empty()) return std::filesystem::path(*xdg) / "wfa/config.toml";
  return home_dir(env) / ".config/wfa/config.toml";
}

std::filesystem::path resource_dir(const std::string& name) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share/wfa" / name;
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
  auto configured = std::filesystem::path(build::install_datadir) / name;
  // Only the binary in its build tree uses the source tree: an installed copy must never run a checkout's
  // migrations (whoever can write that checkout would run SQL as the database owner).
  auto tree = std::filesystem::weakly_canonical(build::binary_dir, ec).string() + "/";
  bool in_build_tree = !ec && exe.string().rfind(tree, 0) == 0;
  auto source = std::filesystem::path(build::source_dir) / name;
  if (in_build_tree && std::filesystem::is_directory(source, ec)) return source;
  return configured;
}

}  // namespace wfa
