#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

#include "core/process.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "pipelines/image_codec.hpp"
#include "tests/support/integration_fixture.hpp"
#include "tests/support/test_images.hpp"

namespace wfa {
namespace {

namespace fs = std::filesystem;

std::string bytes_of(const std::vector<std::uint8_t>& v) { return {v.begin(), v.end()}; }

std::string jpeg_of(const cv::Mat& bgr) {
  std::vector<std::uint8_t> out;
  encode_jpeg(
      bgr.cols, bgr.rows, [&](int y) { return bgr.ptr<std::uint8_t>(y); }, 92, out);
  return bytes_of(out);
}

std::string png_of(const cv::Mat& image) {
  std::vector<std::uint8_t> out;
  encode_png(image, out);
  return bytes_of(out);
}

/// MockupFixture is workspace acme/main with location sz-01 and its day-gold photo (640x480) in the file store,
/// plus two creatives on disk.
class MockupFixture : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  fs::path creative_a, creative_b;
  const std::string ws = "acme/main";
  const std::string points = "200,120 460,135 450,330 210,320";

  void SetUp() override {
    env["WFA_DATA_DIR"] = (dir.path() / "data").string();
    ASSERT_EQ(run({"partner", "create", "acme", "--name", "Acme"}).exit_code, 0);
    ASSERT_EQ(run({"workspace", "create", "main", "--partner", "acme", "--name", "Main"}).exit_code, 0);
    cv::Mat photo(480, 640, CV_8UC3, cv::Scalar(90, 120, 150));
    auto photo_bytes = jpeg_of(photo);
    auto sha = sha256_hex(photo_bytes);
    auto path = "photos/" + sha.substr(0, 2) + "/" + sha + ".jpg";
    write_file_atomic(dir.path() / "data/files" / path, photo_bytes);
    db.exec(
        "INSERT INTO locations (workspace_id, location_key, display_name) SELECT id, 'sz-01', 'Sheikh Zayed 01'"
        " FROM workspaces WHERE slug = 'main';"
        "INSERT INTO location_photos (workspace_id, location_id, time_of_day, finish, path, sha256, media_type, width, "
        "height, bytes)"
        " SELECT workspace_id, id, 'day', 'gold', '" +
        path + "', '" + sha + "', 'image/jpeg', 640, 480, " + std::to_string(photo_bytes.size()) +
        " FROM locations WHERE location_key = 'sz-01'");
    creative_a = dir.path() / "a.png", creative_b = dir.path() / "b.png";
    write_file_atomic(creative_a, png_of(cv::Mat(200, 300, CV_8UC4, cv::Scalar(20, 30, 230, 255))));
    write_file_atomic(creative_b, png_of(cv::Mat(200, 300, CV_8UC4, cv::Scalar(230, 30, 20, 255))));
  }

  ProcessResult wfa(std::vector<std::string> args) {
    args.insert(args.begin(), {"-o", "json"});
    return run(args);
  }

  void set_frame() {
    auto r = wfa({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", points, "--blur", "1.2",
                  "--contrast", "1.1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  nlohmann::json generate(const fs::path& creative, int expected_exit = 0) {
    auto r = wfa({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", creative.string()});
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    return expected_exit == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{{"err", r.err}};
  }
};

TEST_F(MockupFixture, FrameSetNormalisesPointsBumpsVersionAndIsAudited) {
  auto dry = wfa({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", points, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("dry run"), std::string::npos) << dry.err;
  EXPECT_EQ(db.count("mockup_frames"), 0);
  auto r = wfa({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", "210,320 450,330 460,135 200,120"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto frame = nlohmann::json::parse(r.out);
  EXPECT_EQ(frame["points"], nlohmann::json::parse("[[200,120],[460,135],[450,330],[210,320]]"));
  EXPECT_EQ(frame["version"], 1);
  EXPECT_EQ(frame["effects"]["feather"], 8);
  r = wfa({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", points, "--saturation", "0.9"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["version"], 2);
  r = wfa({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", points});
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  EXPECT_EQ(db.value("SELECT version FROM mockup_frames"), "2");
  EXPECT_EQ(db.value("SELECT (effects->>'saturation') FROM mockup_frames"), "0.9");
  EXPECT_EQ(std::stoi(db.value("SELECT count(*) FROM audit_log WHERE action LIKE 'mockup.frame.%'")), 2);
  r = wfa({"mockup", "frame", "list", "--workspace", ws});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["frames"].size(), 1u);
  r = wfa({"mockup", "frame", "remove", "sz-01", "--workspace", ws});
  EXPECT_EQ(r.exit_code, 2) << "remove without --yes off a terminal";
  r = wfa({"mockup", "frame", "remove", "sz-01", "--workspace", ws, "--yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = wfa({"mockup", "frame", "show", "sz-01", "--workspace", ws});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("has no mockup frame"), std::string::npos) << r.err;
}

TEST_F(MockupFixture, BadFramesAreInvalidInput) {
  struct Case {
    std::string points, message;
  } cases[] = {{"200,120 460,135 300,200 210,320", "not a convex"},
               {"200,120 460,135 210,320 450,330", "self-intersecting"},
               {"200,120 700,135 450,330 210,320", "outside the 640x480 photo"},
               {"200,120 460,135 450,330", "expected four"}};
  for (const auto& c : cases) {
    auto r = run({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", c.points});
    EXPECT_EQ(r.exit_code, 6) << c.points;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  auto r = run({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--photo", "night-gold", "--points", points});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("has no night-gold photo"), std::string::npos) << r.err;
  r = run({"mockup", "frame", "set", "nowhere", "--workspace", ws, "--points", points});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("location 'nowhere' not found"), std::string::npos) << r.err;
  EXPECT_EQ(db.count("mockup_frames"), 0);
}

TEST_F(MockupFixture, GenerateStoresLogsAndServesIdenticalRequestsFromTheCache) {
  set_frame();
  auto out = dir.path() / "mockup.jpg";
  auto r =
      wfa({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", creative_a.string(), "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto first = nlohmann::json::parse(r.out);
  EXPECT_EQ(first["status"], "ok");
  EXPECT_EQ(first["width"], 640);
  EXPECT_TRUE(fs::exists(out));
  EXPECT_NE(first["path"].get<std::string>().find("/files/mockups/"), std::string::npos);
  cv::Mat image, scratch;
  auto bytes = read_file(out, "mockup");
  decode_image({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, "mockup.jpg", PixelLayout::bgr,
               image, scratch);
  auto centre = image.at<cv::Vec3b>(225, 330), outside = image.at<cv::Vec3b>(20, 20);
  EXPECT_GT(centre[2], 200) << "the red creative is in the frame";
  EXPECT_NEAR(outside[2], 150, 4) << "the photo is untouched outside";

  auto again = generate(creative_a);
  EXPECT_EQ(again["status"], "cached");
  EXPECT_EQ(again["path"], first["path"]);
  auto other = generate(creative_b);
  EXPECT_EQ(other["status"], "ok");
  EXPECT_NE(other["path"], first["path"]);
  EXPECT_EQ(db.count("mockup_files"), 2);
  // A frame change makes a new mockup for the same creative.
  ASSERT_EQ(wfa({"mockup", "frame", "set", "sz-01", "--workspace", ws, "--points", points, "--feather", "4"}).exit_code,
            0);
  EXPECT_EQ(generate(creative_a)["status"], "ok");
  EXPECT_EQ(db.count("mockup_files"), 3);
}

TEST_F(MockupFixture, GenerateRejectsBadCreativesAndUnknownTargets) {
  set_frame();
  auto text = dir.path() / "notes.png";
  write_file_atomic(text, "not an image at all");
  auto r = run({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", text.string()});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("notes.png: not a JPEG or PNG image"), std::string::npos) << r.err;
  auto truncated = dir.path() / "cut.jpg";
  cv::Mat noise(300, 300, CV_8UC3);
  cv::randu(noise, 0, 255);
  auto jpeg = jpeg_of(noise);
  write_file_atomic(truncated, jpeg.substr(0, jpeg.size() / 2));
  r = run({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", truncated.string()});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("truncated or corrupt JPEG"), std::string::npos) << r.err;
  r = run({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", (dir.path() / "missing.png").string()});
  EXPECT_EQ(r.exit_code, 3);
  r = run(
      {"mockup", "generate", "sz-01", "--workspace", ws, "--creative", creative_a.string(), "--time-of-day", "night"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("has no night-gold photo"), std::string::npos) << r.err;
  r = run({"mockup", "generate", "zz-99", "--workspace", ws, "--creative", creative_a.string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(db.count("mockup_files"), 0);
}

TEST_F(MockupFixture, BatchReportsFailedRowsAndGoesOn) {
  set_frame();
  auto manifest = dir.path() / "manifest.csv";
  write_file_atomic(manifest,
                    "location,creative\n"
                    "sz-01,a.png\n"
                    "zz-99,a.png\n"
                    "sz-01,b.png\n"
                    "sz-01,missing.png\n"
                    "sz-01,a.png,extra\n"
                    "sz-01,a.png\n");
  auto out = dir.path() / "out";
  auto r = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", out.string(), "--workers", "2"});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("manifest.csv:3: location 'zz-99' not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("manifest.csv:5: creative"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("manifest.csv:6:"), std::string::npos) << r.err;
  auto rows = nlohmann::json::parse(r.out)["mockups"];
  ASSERT_EQ(rows.size(), 6u);
  std::vector<std::string> status;
  for (const auto& row : rows) status.push_back(row["status"]);
  EXPECT_EQ(status[1], "failed");
  EXPECT_EQ(status[0] == "ok" || status[0] == "cached", true);
  EXPECT_TRUE(fs::exists(out / "0001-sz-01-a.jpg"));
  EXPECT_TRUE(fs::exists(out / "0003-sz-01-b.jpg"));
  EXPECT_TRUE(fs::exists(out / "0006-sz-01-a.jpg"));
  EXPECT_EQ(db.count("mockup_files"), 2);
  EXPECT_EQ(std::stoi(db.value("SELECT count(*) FROM audit_log WHERE action = 'mockup.batch'")), 1);

  r = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", out.string(), "--no-cache"});
  EXPECT_EQ(r.exit_code, 8);
  auto made = nlohmann::json::parse(r.out);  // a named value: the loop must not outlive a temporary
  for (const auto& row : made["mockups"]) EXPECT_NE(row["status"], "cached");
}

TEST_F(MockupFixture, AnEnqueuedBatchMakesTheLocalRunsMockupsThroughTheStoreAndJobStatusNamesTheFailedRows) {
  set_frame();
  auto manifest = dir.path() / "manifest.csv";
  write_file_atomic(manifest,
                    "location,creative\n"
                    "sz-01,a.png\n"
                    "zz-99,a.png\n"
                    "sz-01,b.png\n"
                    "sz-01,missing.png\n"
                    "sz-01,a.png,extra\n");
  auto local = dir.path() / "local";
  ASSERT_EQ(wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", local.string()}).exit_code, 8);
  auto r = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--enqueue", "--chunk-size", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto batch = nlohmann::json::parse(r.out);
  EXPECT_EQ(batch["jobs"], 3);
  auto id = batch["batch_id"].get<std::string>();
  // The creatives are in the store now: the workers never read the manifest's directory.
  fs::rename(creative_a, dir.path() / "moved-a.png");
  fs::rename(creative_b, dir.path() / "moved-b.png");
  auto drained = run({"worker", "--drain"});
  ASSERT_EQ(drained.exit_code, 0) << drained.err;
  auto status = wfa({"job", "status", id});
  EXPECT_EQ(status.exit_code, 8) << status.err;
  auto report = nlohmann::json::parse(status.out);
  EXPECT_EQ(report["completed"], 3) << status.out;
  std::string errors;
  for (const auto& f : report["failures"]) errors += f["error"].get<std::string>() + "\n";
  EXPECT_NE(errors.find("manifest.csv:3: location 'zz-99' not found"), std::string::npos) << errors;
  EXPECT_NE(errors.find("manifest.csv:5: creative"), std::string::npos) << errors;
  EXPECT_NE(errors.find("manifest.csv:6:"), std::string::npos) << errors;
  EXPECT_EQ(report["failures"].size(), 3u) << status.out;
  auto output = fs::path(report["output"].get<std::string>());
  for (const char* name : {"0001-sz-01-a.jpg", "0003-sz-01-b.jpg"})
    EXPECT_EQ(read_file(output / name, "enqueued"), read_file(local / name, "local")) << name;
  EXPECT_EQ(db.count("mockup_files"), 2) << "each mockup stored and logged once";
  for (const auto& [flags, text] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--out", "x"}, "--out is for a local run"},
           {{"--chunk-size", "0"}, "--chunk-size must be from 1 to 1000"}}) {
    std::vector<std::string> args{"mockup", "batch", manifest.string(), "--workspace", ws, "--enqueue"};
    args.insert(args.end(), flags.begin(), flags.end());
    auto refused = run(args);
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find(text), std::string::npos) << refused.err;
    EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  }
  EXPECT_EQ(db.value("SELECT count(*) FROM jobs"), "3") << "a refused enqueue adds no job";
}

TEST_F(MockupFixture, BatchOutputsStayInsideOutAndNoTwoRowsWriteOneFile) {
  set_frame();
  auto out = dir.path() / "out";
  auto elsewhere = dir.path() / "elsewhere";
  fs::create_directories(out);
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, out / "link");
  auto manifest = dir.path() / "manifest.csv";
  write_file_atomic(manifest,
                    "Location;Creative;Out\n"      // semicolons and Title Case headers, as Excel writes them
                    "sz-01;a.png;../escape.jpg\n"  // line 2
                    "sz-01;a.png;" +
                        (dir.path() / "absolute.jpg").string() +
                        "\n"                              // line 3
                        "sz-01;a.png;link/through.jpg\n"  // line 4
                        "sz-01;a.png;ok.jpg\n"            // line 5
                        "sz-01;b.png;ok.jpg\n");          // line 6
  auto r = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", out.string()});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  for (const char* expected :
       {"manifest.csv:2: out '../escape.jpg' climbs out of the output directory", "manifest.csv:3: out '",
        "is an absolute path", "manifest.csv:4: out 'link/through.jpg' resolves through a symbolic link",
        "manifest.csv:6: out ", "is also the output of row 4"})
    EXPECT_NE(r.err.find(expected), std::string::npos) << "missing: " << expected << "\n" << r.err;
  EXPECT_TRUE(fs::exists(out / "ok.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "escape.jpg"));
  EXPECT_FALSE(fs::exists(dir.path() / "absolute.jpg"));
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(MockupFixture, ACmykCreativeFromAPrintShopIsComposedInItsColours) {
  set_frame();
  for (bool adobe : {true, false}) {
    auto creative = dir.path() / (adobe ? "print-adobe.jpg" : "print-plain.jpg");
    auto cyan = test::cmyk_jpeg(300, 200, {255, 0, 0, 0}, adobe);  // full cyan ink
    write_file_atomic(creative, std::string(cyan.begin(), cyan.end()));
    auto out = dir.path() / (adobe ? "adobe.jpg" : "plain.jpg");
    auto r =
        wfa({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", creative.string(), "--out", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    cv::Mat image, scratch;
    auto bytes = read_file(out, "mockup");
    decode_image({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, "mockup.jpg", PixelLayout::bgr,
                 image, scratch);
    auto centre = image.at<cv::Vec3b>(225, 330);  // BGR
    EXPECT_LT(centre[2], 60) << "cyan has no red (Adobe-inverted: " << adobe << ")";
    EXPECT_GT(centre[1], 180);
    EXPECT_GT(centre[0], 180);
  }
}

TEST_F(MockupFixture, APhotoTurnedByItsExifOrientationIsStoredUprightWithTheOriginalKept) {
  auto turned = test::phone_photo_jpeg();
  auto file = dir.path() / "phone.jpg";
  write_file_atomic(file, turned);
  auto r = wfa({"location", "photo", "add", "sz-01", file.string(), "--workspace", ws, "--time-of-day", "night",
                "--finish", "gold"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["width"], 20) << "stored upright: the sides swap";
  EXPECT_EQ(doc["height"], 60);
  ASSERT_TRUE(doc["original_path"].is_string()) << r.out;
  auto stored = read_file(doc["file"].get<std::string>(), "stored");
  auto original = read_file((dir.path() / "data/files" / doc["original_path"].get<std::string>()).string(), "original");
  EXPECT_EQ(original, turned) << "the upload is kept as it was";
  cv::Mat decoded, scratch;
  auto info = decode_image({reinterpret_cast<const std::uint8_t*>(stored.data()), stored.size()}, "stored",
                           PixelLayout::bgr, decoded, scratch);
  EXPECT_EQ(info.orientation, 1) << "the stored photo needs no turning";
  EXPECT_EQ(decoded.cols, 20);
  auto top = decoded.at<cv::Vec3b>(5, 10), bottom = decoded.at<cv::Vec3b>(55, 10);
  EXPECT_GT(top[2], 150);
  EXPECT_LT(top[1], 80) << "turned clockwise, the red left half is on top";
  EXPECT_GT(bottom[1], 150);
  auto plain = wfa({"location", "photo", "add", "sz-01", creative_a.string(), "--workspace", ws, "--time-of-day",
                    "night", "--finish", "silver"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(nlohmann::json::parse(plain.out)["original_path"].is_null()) << "an upright upload is stored as it is";
}

TEST_F(MockupFixture, AnImageBombIsRefusedFromItsHeaderAtEveryEntryPoint) {
  set_frame();
  // 68 bytes declaring 65,535 x 65,535 pixels (12 GB decoded).
  const std::string bomb(
      "\x89\x50\x4E\x47\x0D\x0A\x1A\x0A\x00\x00\x00\x0D\x49\x48\x44\x52\x00\x00\xFF\xFF\x00\x00\xFF\xFF\x08\x02\x00"
      "\x00\x00\x39\x67\x4E\x07\x00\x00\x00\x0B\x49\x44\x41\x54\x78\x9C\x63\x60\x80\x01\x00\x00\x0A\x00\x01\x7F\x80"
      "\x74\x5E\x00\x00\x00\x00\x49\x45\x4E\x44\xAE\x42\x60\x82",
      68);
  auto bomb_path = dir.path() / "bomb.png";
  write_file_atomic(bomb_path, bomb);
  auto photos_before = db.count("location_photos");
  auto photo = run({"location", "photo", "add", "sz-01", bomb_path.string(), "--workspace", ws, "--time-of-day",
                    "night", "--finish", "gold"});
  EXPECT_EQ(photo.exit_code, 6) << photo.err;
  EXPECT_NE(photo.err.find("is too large: 65,535 x 65,535 pixels"), std::string::npos) << photo.err;
  EXPECT_EQ(test::lines(photo.err), 1u) << photo.err;
  EXPECT_EQ(db.count("location_photos"), photos_before);
  auto creative = run({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", bomb_path.string(), "--out",
                       (dir.path() / "m.jpg").string()});
  EXPECT_EQ(creative.exit_code, 6) << creative.err;
  EXPECT_NE(creative.err.find("is too large"), std::string::npos) << creative.err;
  auto manifest = dir.path() / "bomb.csv";
  write_file_atomic(manifest, "location,creative\nsz-01,bomb.png\nsz-01,a.png\n");
  auto batch = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", (dir.path() / "out").string()});
  EXPECT_EQ(batch.exit_code, 8) << batch.err;
  EXPECT_NE(batch.err.find("bomb.csv:2:"), std::string::npos) << batch.err;
  EXPECT_NE(batch.err.find("is too large"), std::string::npos) << batch.err;
  // The limit is a setting: 50,000 pixels refuse a 300 x 200 creative too, and a bad value is a usage error.
  env["WFA_MAX_IMAGE_PIXELS"] = "50_000";
  auto small = run({"mockup", "generate", "sz-01", "--workspace", ws, "--creative", creative_b.string(), "--out",
                    (dir.path() / "n.jpg").string()});
  EXPECT_EQ(small.exit_code, 6) << small.err;
  EXPECT_NE(small.err.find("at most 32,767 a side and 50,000 in all"), std::string::npos) << small.err;
  env["WFA_MAX_IMAGE_PIXELS"] = "lots";
  EXPECT_EQ(run({"version"}).exit_code, 2);
}

TEST_F(MockupFixture, BatchWithoutFailuresExitsZeroAndUsesTheCache) {
  set_frame();
  auto manifest = dir.path() / "manifest.csv";
  write_file_atomic(manifest,
                    "location,creative,time_of_day,finish,out\nsz-01,a.png,day,gold,first.jpg\nsz-01,b.png,,,\n");
  auto out = dir.path() / "out";
  auto r = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "first.jpg"));
  r = wfa({"mockup", "batch", manifest.string(), "--workspace", ws, "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto again = nlohmann::json::parse(r.out);
  for (const auto& row : again["mockups"]) EXPECT_EQ(row["status"], "cached");
  EXPECT_NE(r.err.find("2 from the cache"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace wfa
