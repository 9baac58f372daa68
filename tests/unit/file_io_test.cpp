#include "core/file_io.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace wfa {
namespace {

struct Scratch {
  fs::path dir;
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "wfa-file-io-XXXXXX").string();
    dir = mkdtemp(pattern.data());
  }
  ~Scratch() { fs::remove_all(dir); }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FileIo, SymlinksPlantedAtTemporaryNamesAreNeverFollowed) {
  Scratch s;
  auto victim = s.dir / "victim";
  std::ofstream(victim) << "keep me";
  // Every name the old scheme would have used for this process, and some guesses at the new one.
  for (int n = 0; n < 50; ++n)
    fs::create_symlink(victim, s.dir / (".out.pdf.wfa-tmp-" + std::to_string(getpid()) + "-" + std::to_string(n)));
  for (const char* guess : {"0000000000000000", "ffffffffffffffff"})
    fs::create_symlink(victim, s.dir / (".out.pdf.wfa-tmp-" + std::to_string(getpid()) + "-" + guess));
  write_file_atomic(s.dir / "out.pdf", "new bytes");
  AtomicFileWriter writer(s.dir / "out.pdf");
  writer.stream() << "streamed bytes";
  writer.commit();
  EXPECT_EQ(slurp(victim), "keep me");
  EXPECT_EQ(slurp(s.dir / "out.pdf"), "streamed bytes");
  EXPECT_FALSE(fs::is_symlink(s.dir / "out.pdf"));
}

TEST(FileIo, TemporaryNamesAreUnpredictableAndPrivate) {
  Scratch s;
  AtomicFileWriter a(s.dir / "x.csv"), b(s.dir / "x.csv");
  std::vector<fs::path> temps;
  for (const auto& e : fs::directory_iterator(s.dir)) temps.push_back(e.path());
  ASSERT_EQ(temps.size(), 2u);
  auto suffix = [](const fs::path& p) { return p.filename().string().substr(p.filename().string().rfind('-') + 1); };
  EXPECT_EQ(suffix(temps[0]).size(), 16u);
  EXPECT_NE(suffix(temps[0]), suffix(temps[1]));
  struct stat st {};
  ASSERT_EQ(::stat(temps[0].c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(FileIo, OthersWritableFilesAndTheirDirectoriesAreRefused) {
  Scratch s;
  auto file = s.dir / "config.toml";
  std::ofstream(file) << "x = 1\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_NO_THROW(refuse_others_writable(file, "config file"));
  fs::permissions(file, fs::perms::group_write, fs::perm_options::add);
  EXPECT_THROW(refuse_others_writable(file, "config file"), InvalidInputError);
  fs::permissions(file, fs::perms::group_write, fs::perm_options::remove);
  fs::permissions(s.dir, fs::perms::others_write, fs::perm_options::add);
  EXPECT_THROW(refuse_others_writable(file, "config file"), InvalidInputError) << "its directory too";
  fs::permissions(s.dir, fs::perms::sticky_bit, fs::perm_options::add);
  EXPECT_NO_THROW(refuse_others_writable(file, "config file")) << "a sticky directory like /tmp is fine";
}

}  // namespace
}  // namespace wfa
