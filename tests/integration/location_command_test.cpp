// `wfa location add|import|list|show` and `wfa location photo add|list|remove` against a real PostgreSQL.
#include <filesystem>

#include "core/file_io.hpp"
#include "tests/integration/sales_fixture.hpp"

using namespace wfa;
using namespace wfa::sales_test;

namespace {

std::string test_data(const std::string& name) { return (test::source_dir() / "tests" / "data" / name).string(); }

}  // namespace

TEST(LocationCommand, AddShowsTheLocationAndAudits) {
  SalesFixture f;
  f.env["WFA_ACTOR"] = "sales@acme.test";
  auto doc = f.run_json({"location",
                         "add",
                         "DXB-001",
                         "--workspace",
                         "acme/main",
                         "--name",
                         "Sheikh Zayed Road – Unipole 1",
                         "--width",
                         "12.5",
                         "--height",
                         "4",
                         "--type",
                         "LED",
                         "--series",
                         "SZR",
                         "--address",
                         "SZR, Dubai",
                         "--latitude",
                         "25.2048",
                         "--longitude",
                         "55.2708"});
  EXPECT_EQ(doc["location_key"], "DXB-001");
  EXPECT_EQ(doc["display_name"], "Sheikh Zayed Road – Unipole 1");
  EXPECT_EQ(doc["type"], "led");
  EXPECT_EQ(doc["width_m"], "12.50");
  EXPECT_EQ(doc["height_m"], "4.00");
  EXPECT_EQ(doc["series"], "SZR");
  EXPECT_EQ(doc["latitude"], "25.2048");
  EXPECT_EQ(doc["is_active"], true);
  EXPECT_EQ(
      f.value("SELECT actor || ' ' || action || ' ' || (workspace_id = (SELECT w.id FROM workspaces w JOIN partners p"
              " ON p.id = w.partner_id WHERE p.slug = 'acme'))::text || ' ' || (new_values->>'location_key') FROM "
              "audit_log"),
      "sales@acme.test location.create true DXB-001");
  auto inactive = f.run_json({"location", "add", "DXB-002", "--workspace", "acme/main", "--name", "Two", "--inactive"});
  EXPECT_EQ(inactive["is_active"], false);
  EXPECT_EQ(inactive["type"], "static");
}

TEST(LocationCommand, AddRefusesDuplicatesAndBadInput) {
  SalesFixture f;
  f.add_location("DXB-001");
  auto dup = f.run({"location", "add", "DXB-001", "--workspace", "acme/main", "--name", "Again"});
  expect_failure(dup, 4, "location DXB-001 already exists in workspace acme/main");
  EXPECT_NE(dup.err.find("wfa location show DXB-001"), std::string::npos) << dup.err;
  auto again =
      f.run_json({"location", "add", "DXB-001", "--workspace", "acme/main", "--name", "Again", "--if-not-exists"});
  EXPECT_EQ(again["display_name"], "Location DXB-001") << "the existing location, unchanged";
  EXPECT_EQ(f.run({"location", "add", "DXB-001", "--workspace", "zeta/main", "--name", "Z"}).exit_code, 0)
      << "keys are unique per workspace";
  auto add = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"location", "add", "DXB-009", "--workspace", "acme/main", "--name", "Nine"};
    args.insert(args.end(), extra.begin(), extra.end());
    return f.run(args);
  };
  expect_failure(f.run({"location", "add", "-bad key", "--workspace", "acme/main", "--name", "X"}), 2, "");
  expect_failure(f.run({"location", "add", "bad key", "--workspace", "acme/main", "--name", "X"}), 6,
                 "'bad key' is not a location key");
  expect_failure(add({"--width", "-3"}), 6, "--width '-3' is negative");
  expect_failure(add({"--width", "0"}), 6, "--width '0' is out of range");
  expect_failure(add({"--height", "four"}), 6, "--height 'four' is not a number");
  expect_failure(add({"--width", "12,5"}), 6, "--width '12,5' has a decimal comma");
  expect_failure(add({"--type", "neon"}), 2, "--type 'neon' is not one of static, led, digital");
  expect_failure(add({"--latitude", "91"}), 6, "--latitude '91' is out of range");
  expect_failure(add({"--longitude", "55,3"}), 6, "--longitude '55,3' is not a number");
  expect_failure(f.run({"location", "add", "DXB-009", "--workspace", "acme/main", "--name", " "}), 6, "is empty");
  expect_failure(f.run({"location", "add", "DXB-009", "--workspace", "acme/nope", "--name", "X"}), 3,
                 "workspace 'acme/nope' not found");
  expect_failure(f.run({"location", "add", "DXB-009", "--workspace", "main", "--name", "X"}), 6, "ambiguous");
  EXPECT_EQ(f.db.count("locations"), 2);
  EXPECT_EQ(f.db.count("audit_log"), 2);
}

TEST(LocationCommand, DryRunChangesNothing) {
  SalesFixture f;
  auto r =
      f.run({"location", "add", "DXB-001", "--workspace", "acme/main", "--name", "One", "--dry-run", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
  auto csv = f.file("l.csv", "key,name\nDXB-002,Two\n");
  ASSERT_EQ(f.run({"location", "import", csv, "--workspace", "acme/main", "--dry-run"}).exit_code, 0);
  EXPECT_EQ(f.db.count("locations"), 0);
  EXPECT_EQ(f.db.count("audit_log"), 0);
}

TEST(LocationCommand, ImportUpsertsByKeyWithHeaderAliases) {
  SalesFixture f;
  f.add_location("DXB-001");
  auto csv = f.file("locations.csv",
                    "Location_Key,Display_Name,Width,Height,Type,Series,Address,Lat,Lng,Active\n"
                    "DXB-001,Renamed One,10,3,static,S1,\"Road 1, Dubai\",25.1,55.1,yes\n"
                    "DXB-002,Two,,,digital,,,,,\n"
                    "DXB-003,Three,6,2,led,,,,,no\n");
  auto doc = f.run_json({"location", "import", csv, "--workspace", "acme/main"});
  ASSERT_EQ(doc["locations"].size(), 3u);
  EXPECT_EQ(doc["locations"][0]["outcome"], "updated");
  EXPECT_EQ(doc["locations"][0]["line"], 2);
  EXPECT_EQ(doc["locations"][1]["outcome"], "created");
  EXPECT_EQ(f.value("SELECT display_name || '|' || width_m || '|' || address || '|' || latitude FROM locations WHERE "
                    "location_key = 'DXB-001'"),
            "Renamed One|10.00|Road 1, Dubai|25.1");
  EXPECT_EQ(f.value("SELECT location_type || is_active::text FROM locations WHERE location_key = 'DXB-003'"),
            "ledfalse");

  auto again = f.run({"location", "import", csv, "--workspace", "acme/main"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("0 created, 0 updated, 3 unchanged"), std::string::npos) << again.err;
  EXPECT_EQ(f.db.count("audit_log"), 4) << "one add, one update and two creates; unchanged rows write nothing";

  auto partial = f.file("names.csv", "key,name\nDXB-003,Three renamed\n");
  ASSERT_EQ(f.run({"location", "import", partial, "--workspace", "acme/main"}).exit_code, 0);
  EXPECT_EQ(f.value("SELECT display_name || '|' || width_m || '|' || location_type FROM locations WHERE location_key = "
                    "'DXB-003'"),
            "Three renamed|6.00|led")
      << "columns the file lacks keep their values";
}

TEST(LocationCommand, ImportAcceptsAProposalBatchFileListingLocationsRepeatedly) {
  SalesFixture f;
  auto csv = f.file("batch.csv",
                    "client_name,location_key,location_name,start_date,currency\n"
                    "Al Noor Trading LLC,DXB-001,Sheikh Zayed Road – Unipole 1,2025-01-06,AED\n"
                    "Café Société Foods,DXB-002,Al Khail Road – Bridge Banner 1,2025-02-03,AED\n"
                    "Gulf Motors Group,DXB-001,Sheikh Zayed Road – Unipole 1,2025-03-03,AED\n");
  auto r = f.run({"location", "import", csv, "--workspace", "acme/main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 locations from " + csv + ": 2 created, 0 updated, 0 unchanged"), std::string::npos) << r.err;
  EXPECT_EQ(f.value("SELECT display_name FROM locations WHERE location_key = 'DXB-002'"),
            "Al Khail Road – Bridge Banner 1");
}

TEST(LocationCommand, ImportReadsSemicolonWindows1252AndUtf16FilesAsExcelWritesThem) {
  SalesFixture f;
  // Excel on Windows in a comma-decimal locale: semicolons, Title Case headers, CRLF, Windows-1252 (e-acute, en dash).
  auto cp1252 = f.file("excel.csv", "Location Key;Name;Width\r\nDXB-010;Caf\xE9 \x96 Marina;12.5\r\n");
  auto r = f.run({"location", "import", cp1252, "--workspace", "acme/main", "--encoding", "windows-1252"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(f.value("SELECT display_name || ' ' || width_m FROM locations WHERE location_key = 'DXB-010'"),
            "Caf\xC3\xA9 \xE2\x80\x93 Marina 12.50");
  auto as_utf8 = f.run({"location", "import", cp1252, "--workspace", "acme/main"});
  EXPECT_EQ(as_utf8.exit_code, 6);
  EXPECT_NE(as_utf8.err.find("excel.csv:2: invalid UTF-8"), std::string::npos) << as_utf8.err;
  std::u16string text = u"location_key\tname\r\nDXB-011\t\u0645\u0631\u0633\u0649\r\n";
  std::string utf16 = "\xFF\xFE";
  for (char16_t c : text) utf16 += static_cast<char>(c & 0xFF), utf16 += static_cast<char>(c >> 8);
  r = f.run({"location", "import", f.file("unicode.txt", utf16), "--workspace", "acme/main"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(f.value("SELECT display_name FROM locations WHERE location_key = 'DXB-011'"),
            "\xD9\x85\xD8\xB1\xD8\xB3\xD9\x89");
}

TEST(LocationCommand, ImportIsAllOrNothingAndNamesTheBadLine) {
  SalesFixture f;
  f.add_location("DXB-001");
  auto before = f.value("SELECT display_name FROM locations");
  auto import = [&](const std::string& name, const std::string& text) {
    return f.run({"location", "import", f.file(name, text), "--workspace", "acme/main"});
  };
  auto bad_value = import("a.csv", "key,name,width\nDXB-001,Changed,3\nDXB-002,Two,abc\nDXB-003,Three,-1\n");
  expect_failure(bad_value, 6, "a.csv:3: width 'abc' is not a number (and 1 more bad rows)");
  EXPECT_NE(bad_value.err.find("nothing was imported"), std::string::npos) << bad_value.err;
  expect_failure(import("b.csv", "key,name\nDXB-002,Two\nDXB-003,\"Three, with comma\",extra\n"), 6,
                 "b.csv:3: 3 fields, the header has 2");
  expect_failure(import("c.csv", "name,width\nTwo,3\n"), 6, "c.csv:1: missing column 'location_key' (or key)");
  expect_failure(import("d.csv", "key,name\nDXB-002,Two\nDXB-002,Deux\n"), 6,
                 "d.csv:3: location DXB-002 appears again with different values (first on line 2)");
  expect_failure(import("e.csv", "key,name\nDXB-001,One\nDXB-002,\n"), 6, "e.csv:3: new location DXB-002 has no name");
  expect_failure(import("f.csv", "key,name,type\nDXB-002,Two,neon\n"), 6,
                 "f.csv:2: type 'neon' is not a location type");
  expect_failure(import("g.csv", "key,name\n\"DXB-002,Two\n"), 6, "g.csv:2: quoted field never closed");
  expect_failure(f.run({"location", "import", (f.dir.path() / "missing.csv").string(), "--workspace", "acme/main"}), 3,
                 "does not exist");
  EXPECT_EQ(f.db.count("locations"), 1);
  EXPECT_EQ(f.value("SELECT display_name FROM locations"), before);
  EXPECT_EQ(f.db.count("audit_log"), 1);
}

TEST(LocationCommand, ListFiltersAndShowIncludesPhotosAndRateCards) {
  SalesFixture f;
  auto csv = f.file("l.csv", "key,name,type,active\nDXB-002,Two,led,\nDXB-001,One,,\nDXB-003,Three,led,false\n");
  ASSERT_EQ(f.run({"location", "import", csv, "--workspace", "acme/main"}).exit_code, 0);
  ASSERT_EQ(f.run({"location", "photo", "add", "DXB-001", test_data("photo_day.jpg"), "--workspace", "acme/main",
                   "--time-of-day", "day", "--finish", "gold"})
                .exit_code,
            0);
  ASSERT_EQ(f.run({"rate-card", "set", "DXB-001", "--workspace", "acme/main", "--net-rate", "15000", "--valid-from",
                   "2026-01-01"})
                .exit_code,
            0);
  auto list = f.run_json({"location", "list", "--workspace", "acme/main"})["locations"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["location_key"], "DXB-001");
  EXPECT_EQ(list[0]["photos"], 1);
  EXPECT_EQ(list[1]["photos"], 0);
  EXPECT_EQ(f.run_json({"location", "list", "--workspace", "acme/main", "--include-inactive"})["locations"].size(), 3u);
  auto led =
      f.run_json({"location", "list", "--workspace", "acme/main", "--type", "led", "--include-inactive"})["locations"];
  ASSERT_EQ(led.size(), 2u);
  EXPECT_EQ(led[1]["location_key"], "DXB-003");
  EXPECT_EQ(f.run_json({"location", "list", "--workspace", "zeta/main"})["locations"].size(), 0u)
      << "workspaces are separate";
  expect_failure(f.run({"location", "list", "--workspace", "acme/main", "--type", "neon"}), 2, "neon");

  auto show = f.run_json({"location", "show", "DXB-001", "--workspace", "acme/main"});
  EXPECT_EQ(show["display_name"], "One");
  ASSERT_EQ(show["photos"].size(), 1u);
  EXPECT_EQ(show["photos"][0]["time_of_day"], "day");
  ASSERT_EQ(show["rate_cards"].size(), 1u);
  EXPECT_EQ(show["rate_cards"][0]["net_rate"], "15,000.00");
  expect_failure(f.run({"location", "show", "DXB-404", "--workspace", "acme/main"}), 3,
                 "location 'DXB-404' not found in workspace acme/main");
  expect_failure(f.run({"location", "show", "DXB-001", "--workspace", "zeta/main"}), 3, "not found");
}

TEST(LocationCommand, PhotoAddStoresContentAddressedAndReplacesItsVariant) {
  SalesFixture f;
  f.add_location("DXB-001");
  f.add_location("DXB-002");
  auto add = [&](const std::string& location, const std::string& file, const std::string& time_of_day) {
    return f.run_json({"location", "photo", "add", location, test_data(file), "--workspace", "acme/main",
                       "--time-of-day", time_of_day, "--finish", "gold"});
  };
  auto day = add("DXB-001", "photo_day.jpg", "day");
  EXPECT_EQ(day["media_type"], "image/jpeg");
  EXPECT_EQ(day["width"], 64);
  EXPECT_EQ(day["height"], 40);
  auto bytes = read_file(test_data("photo_day.jpg"), "test photo");
  EXPECT_EQ(day["bytes"], static_cast<long>(bytes.size()));
  auto sha = day["sha256"].get<std::string>();
  EXPECT_EQ(day["path"], "photos/" + sha.substr(0, 2) + "/" + sha + ".jpg");
  auto stored = f.dir.path() / "files" / day["path"].get<std::string>();
  ASSERT_TRUE(std::filesystem::exists(stored));
  EXPECT_EQ(read_file(stored, "stored photo"), bytes);

  auto shared = add("DXB-002", "photo_day.jpg", "day");
  EXPECT_EQ(shared["path"], day["path"]) << "identical photos share one file";
  auto same = f.run({"location", "photo", "add", "DXB-001", test_data("photo_day.jpg"), "--workspace", "acme/main",
                     "--time-of-day", "day", "--finish", "gold"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.err.find("nothing changed"), std::string::npos) << same.err;
  EXPECT_EQ(f.db.count("audit_log"), 4);

  auto replaced = add("DXB-001", "photo_night.png", "day");
  EXPECT_EQ(replaced["media_type"], "image/png");
  EXPECT_EQ(replaced["id"], day["id"]);
  EXPECT_EQ(
      f.value("SELECT action || ' ' || (old_values->>'sha256') || ' ' || (new_values->>'media_type') FROM audit_log"
              " ORDER BY id DESC LIMIT 1"),
      "location.photo.replace " + sha + " image/png");
  add("DXB-001", "photo_night.png", "night");
  auto list = f.run_json({"location", "photo", "list", "DXB-001", "--workspace", "acme/main"})["photos"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["time_of_day"], "day");
  EXPECT_EQ(list[1]["time_of_day"], "night");

  expect_failure(f.run({"location", "photo", "remove", "DXB-001", "--workspace", "acme/main", "--time-of-day", "night",
                        "--finish", "gold"}),
                 2, "--yes");
  ASSERT_EQ(f.run({"location", "photo", "remove", "DXB-001", "--workspace", "acme/main", "--time-of-day", "night",
                   "--finish", "gold", "-y"})
                .exit_code,
            0);
  expect_failure(f.run({"location", "photo", "remove", "DXB-001", "--workspace", "acme/main", "--time-of-day", "night",
                        "--finish", "gold", "-y"}),
                 3, "has no night/gold photo");
  EXPECT_EQ(f.db.count("location_photos"), 2);
}

TEST(LocationCommand, PhotoAddRefusesNonImagesTruncatedFilesAndUnknownLocations) {
  SalesFixture f;
  f.add_location("DXB-001");
  auto photo = [&](const std::string& path, const std::string& location = "DXB-001") {
    return f.run({"location", "photo", "add", location, path, "--workspace", "acme/main", "--time-of-day", "day",
                  "--finish", "silver"});
  };
  auto jpeg = read_file(test_data("photo_day.jpg"), "test photo");
  auto png = read_file(test_data("photo_night.png"), "test photo");
  expect_failure(photo(f.file("notes.jpg", "not an image\n")), 6, "notes.jpg is not a JPEG or PNG image");
  expect_failure(photo(f.file("cut.jpg", jpeg.substr(0, jpeg.size() / 2))), 6, "cut.jpg is a truncated JPEG");
  expect_failure(photo(f.file("noeoi.jpg", jpeg.substr(0, jpeg.size() - 2))), 6, "truncated JPEG");
  expect_failure(photo(f.file("cut.png", png.substr(0, png.size() - 12))), 6, "cut.png is a truncated PNG");
  expect_failure(photo(f.file("empty.jpg", "")), 6, "is empty");
  expect_failure(photo((f.dir.path() / "missing.jpg").string()), 3, "does not exist");
  expect_failure(photo(test_data("photo_day.jpg"), "DXB-404"), 3, "location 'DXB-404' not found");
  expect_failure(f.run({"location", "photo", "add", "DXB-001", test_data("photo_day.jpg"), "--workspace", "acme/main",
                        "--time-of-day", "dusk", "--finish", "gold"}),
                 2, "");
  EXPECT_EQ(f.db.count("location_photos"), 0);
  EXPECT_FALSE(std::filesystem::exists(f.dir.path() / "files" / "photos"));

  auto ok = photo(test_data("photo_day.jpg"));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(f.db.count("location_photos"), 1);
}
