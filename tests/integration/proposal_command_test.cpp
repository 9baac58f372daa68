#include <gtest/gtest.h>

#include <chrono>

#include <sys/stat.h>

#include <future>
#include <regex>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "core/process.hpp"
#include "pipelines/csv_records.hpp"
#include "core/digest.hpp"
#include "core/file_io.hpp"
#include "pipelines/money.hpp"
#include "tests/integration/proposal_seed.hpp"
#include "tests/support/integration_fixture.hpp"
#include "tests/support/test_images.hpp"

namespace wfa {
namespace {

namespace fs = std::filesystem;

/// ProposalFixture is a workspace skyline/sales with the 30 W1 locations, their weekly rate cards
/// and the demo photo in the file store.
class ProposalFixture : public ::testing::Test, protected test::IntegrationFixture {
 protected:
  std::string photo_path;

  void SetUp() override {
    env["WFA_DATA_DIR"] = (dir.path() / "data").string();
    photo_path = test::seed_w1_workspace(*this, dir.path() / "data/files");
  }

  /// first_rows writes the header and the first N rows of the W1 batch to a file.
  fs::path first_rows(std::size_t n) {
    std::ifstream in(test::source_dir() / "fixtures/w1/batch.csv");
    std::string line, text;
    for (std::size_t i = 0; i <= n && std::getline(in, line); ++i) text += line + "\n";
    auto path = dir.path() / "batch.csv";
    write_file_atomic(path, text);
    return path;
  }

  std::string pdftotext(const fs::path& pdf) { return run_process({"pdftotext", "-layout", pdf.string(), "-"}).out; }
  int pages(const fs::path& pdf) {
    auto info = run_process({"pdfinfo", pdf.string()}).out;
    auto at = info.find("Pages:");
    return at == std::string::npos ? -1 : std::stoi(info.substr(at + 6));
  }
};

TEST_F(ProposalFixture, BatchWritesCheckedPdfsWithEveryAmountAndACombinedPdf) {
  auto batch = first_rows(20);
  auto out = dir.path() / "out";
  auto r = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(), "--workers",
                "2", "--combined-pdf", (dir.path() / "all.pdf").string(), "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("20 written, 0 skipped, 0 failed"), std::string::npos) << r.err;
  EXPECT_EQ(db.count("proposals_log"), 20);
  auto expected =
      CsvTable::parse(read_file(test::source_dir() / "fixtures/w1/expected_financials.csv", "expected"), "expected");
  for (int i : {1, 7, 20}) {
    char id[32];
    std::snprintf(id, sizeof id, "PR-2025-%05d", i);
    auto pdf = out / (std::string(id) + ".pdf");
    EXPECT_EQ(run_process({"qpdf", "--check", pdf.string()}).exit_code, 0) << pdf;
    EXPECT_EQ(pages(pdf), 2);
    auto text = pdftotext(pdf);
    EXPECT_NE(text.find("Skyline Outdoor Media"), std::string::npos);
    EXPECT_NE(text.find("Page 2 of 2"), std::string::npos);
    for (const auto& e : expected.records()) {
      if (expected.field(e, "proposal_id") != id) continue;
      for (const char* column : {"net", "municipality_fee", "upload_fee", "subtotal", "vat", "total"})
        EXPECT_NE(text.find(format_amount(std::stoll(expected.field(e, column)), 2)), std::string::npos)
            << id << " " << column;
    }
    auto fonts = run_process({"pdffonts", pdf.string()}).out;
    EXPECT_NE(fonts.find("DejaVuSans-Bold"), std::string::npos) << fonts;
  }
  auto combined = dir.path() / "all.pdf";
  EXPECT_EQ(run_process({"qpdf", "--check", combined.string()}).exit_code, 0);
  EXPECT_EQ(pages(combined), 40);
  EXPECT_LT(fs::file_size(combined),
            2 * fs::file_size(out / "PR-2025-00001.pdf"));  // the photo and fonts are stored once
}

TEST_F(ProposalFixture, SameInputGivesTheSameBytes) {
  env["SOURCE_DATE_EPOCH"] = "1735689600";
  for (const char* sub : {"a", "b"})
    ASSERT_EQ(run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Café Société", "--location",
                   "DXB-001,DXB-002", "--start", "2025-01-06", "--combined", "--id", "PR-X", "--out",
                   (dir.path() / sub).string()})
                  .exit_code,
              0);
  auto a = read_file(dir.path() / "a/PR-X.pdf", "a"), b = read_file(dir.path() / "b/PR-X.pdf", "b");
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("/CreationDate (D:20250101000000Z)"), std::string::npos);
  EXPECT_EQ(pages(dir.path() / "a/PR-X.pdf"), 4);  // cover, two financials pages, summary
  auto text = pdftotext(dir.path() / "a/PR-X.pdf");
  EXPECT_NE(text.find("Café Société"), std::string::npos);
  EXPECT_NE(text.find("Summary"), std::string::npos);
}

TEST_F(ProposalFixture, GenerateNumbersProposalsAndConvertsCurrency) {
  db.exec("INSERT INTO currency_rates (currency, valid_from, rate_ppm) VALUES ('USD', '2020-01-01', 272294)");
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Gulf Motors", "--location",
                "DXB-001,DXB-002", "--start", "2025-03-03", "--currency", "usd", "--out", (dir.path() / "usd").string(),
                "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "usd/PR-2025-00001.pdf"));
  EXPECT_TRUE(fs::exists(dir.path() / "usd/PR-2025-00002.pdf"));
  // The weekly net in fils × 0.272294, rounded half up, in cents.
  auto net_week =
      db.value("SELECT net_rate FROM rate_cards JOIN locations l ON l.id = location_id WHERE location_key = 'DXB-001'");
  auto expected = format_amount((std::stoll(net_week) * 272294 + 500000) / 1000000, 2);
  EXPECT_NE(pdftotext(dir.path() / "usd/PR-2025-00001.pdf").find("USD " + expected + " net per week"),
            std::string::npos)
      << expected;
  EXPECT_EQ(db.value("SELECT currency FROM proposals_log WHERE proposal_id = 'PR-2025-00002'"), "USD");
  auto listed = run({"proposal", "list", "--workspace", "skyline/sales", "-o", "csv"});
  EXPECT_NE(listed.out.find("Gulf Motors"), std::string::npos);

  auto unknown = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "X", "--location", "NOPE",
                      "--start", "2025-03-03", "--out", (dir.path() / "x").string()});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("unknown location 'NOPE'"), std::string::npos) << unknown.err;
  auto currency = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "X", "--location", "DXB-001",
                       "--start", "2025-03-03", "--currency", "XYZ", "--out", (dir.path() / "x").string()});
  EXPECT_EQ(currency.exit_code, 6);
  EXPECT_NE(currency.err.find("currency 'XYZ' is not supported"), std::string::npos) << currency.err;
  auto no_rate = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "X", "--location", "DXB-001",
                      "--start", "2025-03-03", "--currency", "EUR", "--out", (dir.path() / "x").string()});
  EXPECT_EQ(no_rate.exit_code, 3);
  EXPECT_NE(no_rate.err.find("wfa currency set EUR"), std::string::npos) << no_rate.err;
}

TEST_F(ProposalFixture, ACombinedProposalOf25LocationsContinuesItsSummaryWithTheHeaderRepeated) {
  auto keys = db.value(
      "SELECT string_agg(location_key, ',' ORDER BY location_key) FROM (SELECT location_key FROM"
      " locations ORDER BY location_key LIMIT 25) k");
  auto out = dir.path() / "big";
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Fleet", "--location", keys,
                "--start", "2025-03-03", "--combined", "--id", "PR-BIG", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto pdf = out / "PR-BIG.pdf";
  EXPECT_EQ(run_process({"qpdf", "--check", pdf.string()}).exit_code, 0);
  EXPECT_EQ(pages(pdf), 1 + 25 + 2) << "cover, a page per location, and a summary of two pages";
  auto first = run_process({"pdftotext", "-layout", "-f", "27", "-l", "27", pdf.string(), "-"}).out;
  auto second = run_process({"pdftotext", "-layout", "-f", "28", "-l", "28", pdf.string(), "-"}).out;
  EXPECT_NE(first.find("Location"), std::string::npos) << first;
  EXPECT_NE(second.find("Location"), std::string::npos) << "the header row is repeated: " << second;
  static const std::regex total_row(R"((^|\n)\s*Total\s+[0-9])");
  EXPECT_FALSE(std::regex_search(first, total_row)) << "the total row ends the summary: " << first;
  EXPECT_TRUE(std::regex_search(second, total_row)) << second;
  for (const auto& name :
       std::vector<std::string>{db.value("SELECT display_name FROM locations ORDER BY location_key LIMIT 1"),
                                db.value("SELECT display_name FROM locations ORDER BY location_key LIMIT 1 OFFSET 24")})
    EXPECT_NE((first + second).find(name.substr(0, 12)), std::string::npos) << name;
  // Every word of the summary pages lies inside the page.
  auto boxes = run_process({"pdftotext", "-bbox", "-f", "27", "-l", "28", pdf.string(), "-"}).out;
  std::size_t words = 0;
  for (auto at = boxes.find("yMax=\""); at != std::string::npos; at = boxes.find("yMax=\"", at + 1), ++words) {
    double y = std::stod(boxes.substr(at + 6));
    ASSERT_GT(y, 0.0);
    ASSERT_LT(y, 595.3);
  }
  EXPECT_GT(words, 100u);
  // The cover names the first locations in at most three lines, cut with an ellipsis; nothing reaches the rule at
  // y 552 but the footer below it, and the photo keeps its place.
  auto cover = run_process({"pdftotext", "-f", "1", "-l", "1", pdf.string(), "-"}).out;
  EXPECT_NE(cover.find(" …"), std::string::npos) << cover;
  auto cover_boxes = run_process({"pdftotext", "-bbox", "-f", "1", "-l", "1", pdf.string(), "-"}).out;
  static const std::regex word_box(R"re(yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)")re");
  std::size_t cover_words = 0;
  for (std::sregex_iterator it(cover_boxes.begin(), cover_boxes.end(), word_box), end; it != end; ++it, ++cover_words)
    EXPECT_TRUE(std::stod((*it)[2]) < 552 || std::stod((*it)[1]) > 556) << (*it)[0];
  EXPECT_GT(cover_words, 20u);
}

TEST_F(ProposalFixture, ACampaignLengthOutsideTheStandardOptionsIsARowOfTheTable) {
  auto out = dir.path() / "six";
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Six Weeks", "--location",
                "DXB-001", "--start", "2025-03-03", "--weeks", "6", "--id", "PR-SIX", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto text = pdftotext(out / "PR-SIX.pdf");
  auto total = std::stoll(db.value("SELECT total FROM proposals_log WHERE proposal_id = 'PR-SIX'"));
  auto quoted = format_amount(total, 2);
  auto four = text.find("4 weeks");  // the table; the cover names the length too
  ASSERT_NE(four, std::string::npos) << text;
  auto row = text.find("6 weeks", four);
  ASSERT_NE(row, std::string::npos) << text;
  auto line_end = text.find('\n', row);
  EXPECT_NE(text.substr(row, line_end - row).find(quoted), std::string::npos)
      << "the quoted price " << quoted << " is on the 6-week row: " << text.substr(row, line_end - row);
  EXPECT_GT(text.find("8 weeks", four), row) << "in order of length";
}

TEST_F(ProposalFixture, ANameLongerThanItsColumnIsSetSmallerInsteadOfRunningIntoTheNext) {
  std::string longest;
  for (int i = 0; i < 12; ++i) longest += "Boulevard";
  db.exec("UPDATE locations SET display_name = '" + longest + "' WHERE location_key = 'DXB-001'");
  auto out = dir.path() / "long";
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Long", "--location",
                "DXB-001,DXB-002", "--start", "2025-03-03", "--combined", "--id", "PR-LONG", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto pdf = out / "PR-LONG.pdf";
  auto summary = std::to_string(pages(pdf));
  auto boxes = run_process({"pdftotext", "-bbox", "-f", summary, "-l", summary, pdf.string(), "-"}).out;
  struct Word {
    double x0, y0, x1;
    std::string text;
  };
  std::vector<Word> words;
  static const std::regex word(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>)re");
  for (std::sregex_iterator it(boxes.begin(), boxes.end(), word), end; it != end; ++it)
    words.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), (*it)[4]});
  auto name = std::find_if(words.begin(), words.end(), [&](const Word& w) { return w.text == longest; });
  ASSERT_NE(name, words.end()) << boxes;
  double next = 1e9;
  for (const auto& w : words)
    if (std::abs(w.y0 - name->y0) < 3 && w.x0 > name->x0) next = std::min(next, w.x0);
  EXPECT_LT(name->x1, next) << "the name ends before the amounts of its row begin";
  for (const auto& w : words) EXPECT_LT(w.x1, 841.9) << w.text;
}

TEST_F(ProposalFixture, BadRowsAreReportedWithTheirLineAndTheOthersStillWritten) {
  db.exec(
      "INSERT INTO locations (workspace_id, location_key, display_name) SELECT id, 'NOPHOTO', 'No photo' FROM "
      "workspaces;"
      "INSERT INTO rate_cards (workspace_id, location_id, net_rate, valid_from) SELECT workspace_id, id, 100, "
      "'2024-01-01' FROM locations WHERE "
      "location_key = 'NOPHOTO';"
      "INSERT INTO locations (workspace_id, location_key, display_name) SELECT id, 'BROKEN', 'Broken photo' FROM "
      "workspaces;"
      "INSERT INTO rate_cards (workspace_id, location_id, net_rate, valid_from) SELECT workspace_id, id, 100, "
      "'2024-01-01' FROM locations WHERE "
      "location_key = 'BROKEN';"
      "INSERT INTO location_photos (workspace_id, location_id, time_of_day, finish, path, sha256, media_type, width, "
      "height, bytes)"
      " SELECT workspace_id, id, 'day', 'gold', 'photos/broken.jpg', repeat('a', 64), 'image/jpeg', 10, 10, 10 FROM "
      "locations WHERE "
      "location_key = 'BROKEN';"
      "INSERT INTO locations (workspace_id, location_key, display_name) SELECT id, 'GONE', 'Photo file gone' FROM "
      "workspaces;"
      "INSERT INTO rate_cards (workspace_id, location_id, net_rate, valid_from) SELECT workspace_id, id, 100, "
      "'2024-01-01' FROM locations WHERE "
      "location_key = 'GONE';"
      "INSERT INTO location_photos (workspace_id, location_id, time_of_day, finish, path, sha256, media_type, width, "
      "height, bytes)"
      " SELECT workspace_id, id, 'day', 'gold', 'photos/gone.jpg', repeat('b', 64), 'image/jpeg', 10, 10, 10 FROM "
      "locations WHERE "
      "location_key = 'GONE';");
  auto photo = read_file(test::source_dir() / "fixtures/demo/location_day.jpg", "photo");
  write_file_atomic(dir.path() / "data/files/photos/broken.jpg", photo.substr(0, photo.size() / 2));
  auto out = dir.path() / "out";
  write_file_atomic(out / "blocker", "a file where a directory is expected");
  auto batch = dir.path() / "bad.csv";
  write_file_atomic(batch,
                    "client_name,location_key,start_date,file\n"
                    "Good One,DXB-001,2025-01-06,\n"                 // line 2
                    "Ragged,DXB-001\n"                               // line 3
                    "Unknown,DXB-999,2025-01-06,\n"                  // line 4
                    "Bad date,DXB-001,2025-02-30,\n"                 // line 5
                    "No photo,NOPHOTO,2025-01-06,\n"                 // line 6
                    "Corrupt photo,BROKEN,2025-01-06,\n"             // line 7
                    "Missing file,GONE,2025-01-06,\n"                // line 8
                    "Unwritable,DXB-002,2025-01-06,blocker/x.pdf\n"  // line 9
                    "Good Two,DXB-002,2025-01-13,\n");               // line 10
  auto r =
      run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(), "-o", "json"});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  for (const char* expected :
       {"bad.csv:3: 2 fields, the header has 4", "bad.csv:4: unknown location 'DXB-999'",
        "bad.csv:5: start_date '2025-02-30' is not a date", "bad.csv:6: location 'NOPHOTO' has no photo",
        "photos/broken.jpg", "photos/gone.jpg does not exist", "blocker/x.pdf"})
    EXPECT_NE(r.err.find(expected), std::string::npos) << "missing: " << expected << "\n" << r.err;
  EXPECT_TRUE(fs::exists(out / "PR-2025-00001.pdf"));
  auto last = db.value("SELECT proposal_id FROM proposals_log WHERE client_name = 'Good Two'");
  EXPECT_EQ(last, "PR-2025-00008") << "numbered from the sequence in row order; the unreadable row 2 takes none";
  EXPECT_TRUE(fs::exists(out / (last + ".pdf")));
  EXPECT_EQ(db.count("proposals_log"), 2);
  EXPECT_NE(r.out.find("failed"), std::string::npos) << r.out;
}

TEST_F(ProposalFixture, GenerateReportsEveryLocationAndExits8WhenSomeFail) {
  auto out = dir.path() / "several";
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Gulf Motors", "--location",
                "DXB-001,DXB-999,DXB-002", "--start", "2025-03-03", "--out", out.string(), "-o", "csv"});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("unknown location 'DXB-999'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 written, 0 skipped, 1 failed"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 4) << r.out;  // header and one line per location
  EXPECT_NE(r.out.find(",failed,"), std::string::npos) << r.out;
  for (const char* id : {"PR-2025-00001", "PR-2025-00003"}) EXPECT_TRUE(fs::exists(out / (std::string(id) + ".pdf")));
  EXPECT_EQ(db.count("proposals_log"), 2);
}

TEST_F(ProposalFixture, ArabicAndJapaneseClientsRenderAndACharacterNoFontHasIsARowWarning) {
  auto out = dir.path() / "scripts";
  auto batch = dir.path() / "scripts.csv";
  write_file_atomic(batch,
                    "client_name,location_key,start_date\n"
                    "شركة النور للإعلان,DXB-001,2025-01-06\n"
                    "株式会社さくら広告,DXB-002,2025-01-06\n"
                    "Private \U000F0041 Use,DXB-001,2025-01-06\n");
  auto r =
      run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(), "-o", "csv"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("scripts.csv:4: no installed font has U+F0041"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("scripts.csv:2: no installed font"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("U+F0041"), std::string::npos) << r.out;
  auto strip = [](std::string text) {
    for (const char* mark : {"\u202B", "\u202C"})
      for (auto at = text.find(mark); at != std::string::npos; at = text.find(mark)) text.erase(at, 3);
    return text;
  };
  EXPECT_NE(strip(pdftotext(out / "PR-2025-00001.pdf")).find("شركة النور للإعلان"), std::string::npos);
  EXPECT_NE(pdftotext(out / "PR-2025-00002.pdf").find("株式会社さくら広告"), std::string::npos);
  auto fonts = run_process({"pdffonts", (out / "PR-2025-00002.pdf").string()}).out;
  EXPECT_NE(fonts.find("DroidSansFallback"), std::string::npos) << fonts;
  EXPECT_EQ(run_process({"pdffonts", (out / "PR-2025-00001.pdf").string()}).out.find("DroidSansFallback"),
            std::string::npos)
      << "a fallback font is embedded only where it is used";
}

TEST_F(ProposalFixture, AFailedLogWriteLeavesNoUnloggedPdfBehind) {
  db.exec(
      "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.client_name = 'Poison' "
      "THEN RAISE EXCEPTION 'log refused'; END IF; RETURN NEW; END $$;"
      "CREATE TRIGGER refuse_poison BEFORE INSERT ON proposals_log FOR EACH ROW EXECUTE FUNCTION refuse_poison();");
  auto out = dir.path() / "unlogged";
  auto batch = dir.path() / "poison.csv";
  write_file_atomic(batch,
                    "client_name,location_key,start_date\n"
                    "Good One,DXB-001,2025-01-06\n"
                    "Poison,DXB-002,2025-01-06\n");
  auto r = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(),
                "--combined-pdf", (dir.path() / "all.pdf").string()});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("was written but could not be logged"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  // The rows were logged in one transaction, so neither is logged and neither file is left.
  EXPECT_EQ(db.count("proposals_log"), 0);
  std::size_t pdfs = 0;
  for (const auto& entry : fs::directory_iterator(out)) pdfs += entry.path().extension() == ".pdf";
  EXPECT_EQ(pdfs, 0u);

  db.exec("DROP TRIGGER refuse_poison ON proposals_log");
  auto again =
      run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(), "--resume"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(db.count("proposals_log"), 2);
}

TEST_F(ProposalFixture, APhoneShotPortraitPhotoIsUprightInTheProposal) {
  auto file = dir.path() / "phone.jpg";
  write_file_atomic(file, test::phone_photo_jpeg());
  auto added = run({"location", "photo", "add", "DXB-001", file.string(), "--workspace", "skyline/sales",
                    "--time-of-day", "day", "--finish", "gold"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  auto out = dir.path() / "portrait";
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Upright", "--location", "DXB-001",
                "--start", "2025-03-03", "--id", "PR-UP", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto images = run_process({"pdfimages", "-list", (out / "PR-UP.pdf").string()}).out;
  static const std::regex image_row(R"(\n\s*1\s+\d+\s+image\s+(\d+)\s+(\d+))");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(images, m, image_row)) << images;
  EXPECT_EQ(m[1].str(), "20") << images;
  EXPECT_EQ(m[2].str(), "60") << "stored upright when added, so the proposal shows it upright: " << images;
}

TEST_F(ProposalFixture, RowsWithoutAnIdAreNumberedAcrossBatchesAndKeepTheirNumberOnResume) {
  auto out = dir.path() / "seq";
  auto write = [&](const std::string& name, const std::string& client) {
    auto path = dir.path() / name;
    write_file_atomic(path, "client_name,location_key,start_date\n" + client + " A,DXB-001,2025-01-06\n" + client +
                                " B,DXB-002,2025-01-06\n");
    return path.string();
  };
  auto first = write("first.csv", "First"), second = write("second.csv", "Second");
  ASSERT_EQ(run({"proposal", "batch", first, "--workspace", "skyline/sales", "--out", out.string()}).exit_code, 0);
  auto r = run({"proposal", "batch", second, "--workspace", "skyline/sales", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << "a second batch's rows no longer collide with the first's: " << r.err;
  EXPECT_EQ(
      db.value("SELECT string_agg(proposal_id || '=' || client_name, ' ' ORDER BY proposal_id) FROM proposals_log"),
      "PR-2025-00001=First A PR-2025-00002=First B PR-2025-00003=Second A PR-2025-00004=Second B");
  auto resumed = run(
      {"proposal", "batch", second, "--workspace", "skyline/sales", "--out", out.string(), "--resume", "-o", "json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("skipped"), std::string::npos) << resumed.out;
  EXPECT_EQ(db.count("proposals_log"), 4) << "resume keeps the numbers it gave";
  auto generated = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Third", "--location",
                        "DXB-001", "--start", "2025-03-03", "--out", out.string()});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  EXPECT_EQ(db.value("SELECT proposal_id FROM proposals_log WHERE client_name = 'Third'"), "PR-2025-00005");
  auto theirs = dir.path() / "theirs.csv";
  write_file_atomic(theirs,
                    "client_name,location_key,start_date,proposal_id\nIntruder,DXB-001,2025-01-06,PR-2025-00001\n");
  auto taken = run({"proposal", "batch", theirs.string(), "--workspace", "skyline/sales", "--out", out.string()});
  EXPECT_EQ(taken.exit_code, 8) << taken.err;
  EXPECT_NE(taken.err.find("proposal PR-2025-00001 already exists for client First A"), std::string::npos) << taken.err;
  EXPECT_EQ(db.value("SELECT client_name FROM proposals_log WHERE proposal_id = 'PR-2025-00001'"), "First A");
  auto replaced =
      run({"proposal", "batch", theirs.string(), "--workspace", "skyline/sales", "--out", out.string(), "--overwrite"});
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(db.value("SELECT client_name FROM proposals_log WHERE proposal_id = 'PR-2025-00001'"), "Intruder");
}

TEST_F(ProposalFixture, BatchFilesAsExcelWritesThemSemicolonsTitleCaseWindows1252AndAnOpenQuoteMidBatch) {
  auto out = dir.path() / "out";
  auto batch = dir.path() / "excel.csv";
  // Excel in a comma-decimal locale: semicolons, "Title Case" headers, CRLF, Windows-1252 (an e-acute and the euro).
  write_file_atomic(batch,
                    "Client Name;Location Key;Start Date\r\n"
                    "Caf\xE9 \x80 One;DXB-001;2025-01-06\r\n"  // line 2
                    "\"Open quote;DXB-001;2025-01-06\r\n"      // line 3: the quote is never closed
                    "Two;DXB-002;2025-01-13\r\n");             // line 4
  auto r = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(),
                "--encoding", "windows-1252", "-o", "json"});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("excel.csv:3: quoted field never closed"), std::string::npos) << r.err;
  EXPECT_EQ(db.count("proposals_log"), 2) << "the rows around the broken one are written";
  EXPECT_EQ(db.value("SELECT client_name FROM proposals_log ORDER BY client_name LIMIT 1"),
            "Caf\xC3\xA9 \xE2\x82\xAC One");
  auto undecoded = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string()});
  EXPECT_EQ(undecoded.exit_code, 8) << "read as UTF-8 the Windows-1252 rows fail, each with its line";
  EXPECT_NE(undecoded.err.find("excel.csv:2: invalid UTF-8"), std::string::npos) << undecoded.err;
  EXPECT_NE(undecoded.err.find("--encoding"), std::string::npos) << undecoded.err;
  auto bad = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string(),
                  "--encoding", "ebcdic"});
  EXPECT_EQ(bad.exit_code, 6);
  EXPECT_NE(bad.err.find("--encoding 'ebcdic' is not supported"), std::string::npos) << bad.err;
}

TEST_F(ProposalFixture, BatchFilesStayInsideOutAndNoTwoRowsWriteOneFile) {
  auto out = dir.path() / "out";
  auto elsewhere = dir.path() / "elsewhere";
  fs::create_directories(out);
  fs::create_directories(elsewhere);
  fs::create_directory_symlink(elsewhere, out / "link");
  auto batch = dir.path() / "paths.csv";
  write_file_atomic(batch,
                    "client_name,location_key,start_date,file\n"
                    "Through link,DXB-001,2025-01-06,link/x.pdf\n"  // line 2
                    "First,DXB-001,2025-01-06,same.pdf\n"           // line 3
                    "Second,DXB-002,2025-01-06,same.pdf\n");        // line 4
  auto r = run({"proposal", "batch", batch.string(), "--workspace", "skyline/sales", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("paths.csv:2: file 'link/x.pdf' resolves through a symbolic link"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("paths.csv:4: file same.pdf is also the output of row 2"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(out / "same.pdf"));
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(ProposalFixture, AWorkbookOrAnImagePassedAsCsvIsNamedAndNothingIsWritten) {
  auto out = dir.path() / "out";
  auto xlsx = dir.path() / "batch.csv";
  write_file_atomic(xlsx, std::string("PK\x03\x04\x14\0\x06\0", 8) + "[Content_Types].xml");
  auto r = run({"proposal", "batch", xlsx.string(), "--workspace", "skyline/sales", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("batch.csv is a ZIP archive (an Excel .xlsx workbook?), not CSV text"), std::string::npos)
      << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_EQ(db.count("proposals_log"), 0);
}

TEST_F(ProposalFixture, UnwritableOutputDirectoryIsRefusedUpFront) {
  write_file_atomic(dir.path() / "plain-file", "x");
  auto r = run({"proposal", "batch", first_rows(2).string(), "--workspace", "skyline/sales", "--out",
                (dir.path() / "plain-file/out").string()});
  EXPECT_EQ(r.exit_code, 6);
  EXPECT_NE(r.err.find("is not a writable directory"), std::string::npos) << r.err;
  EXPECT_EQ(db.count("proposals_log"), 0);
}

TEST_F(ProposalFixture, ResumeSkipsWhatIsWrittenAndLoggedOnly) {
  auto batch = first_rows(5);
  auto out = dir.path() / "out";
  std::vector<std::string> args = {"proposal",      "batch", batch.string(), "--workspace",
                                   "skyline/sales", "--out", out.string(),   "--resume"};
  ASSERT_EQ(run(args).exit_code, 0);
  fs::remove(out / "PR-2025-00003.pdf");
  write_file_atomic(out / "PR-2025-00004.pdf", "tampered");
  auto again = run(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("2 written, 3 skipped, 0 failed"), std::string::npos) << again.err;
  EXPECT_EQ(pages(out / "PR-2025-00004.pdf"), 2);
}

/// expect_one_line_refusal checks that R exited 6 with one stderr line holding FRAGMENT and no parser text.
void expect_one_line_refusal(const ProcessResult& r, const std::string& fragment) {
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << r.err;
}

TEST_F(ProposalFixture, ConcurrentGeneratesGetDistinctNumbersAndAnotherClientsIdIsKept) {
  std::vector<std::future<ProcessResult>> runs;
  for (int i = 0; i < 4; ++i)
    runs.push_back(std::async(std::launch::async, [this, i] {
      return run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Client " + std::to_string(i),
                  "--location", "DXB-001", "--start", "2025-03-03", "--out", (dir.path() / "many").string()});
    }));
  for (auto& r : runs) {
    auto done = r.get();
    EXPECT_EQ(done.exit_code, 0) << done.err;
  }
  EXPECT_EQ(db.value("SELECT count(DISTINCT proposal_id) || '/' || count(*) FROM proposals_log"), "4/4");
  EXPECT_EQ(db.value("SELECT count(DISTINCT client_name) FROM proposals_log"), "4");
  for (int n = 1; n <= 4; ++n)
    EXPECT_TRUE(fs::exists(dir.path() / "many" / ("PR-2025-0000" + std::to_string(n) + ".pdf")));

  auto taken = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Somebody Else", "--location",
                    "DXB-001", "--start", "2025-03-03", "--id", "PR-2025-00001", "--out", (dir.path() / "x").string()});
  EXPECT_EQ(taken.exit_code, 4) << taken.err;
  EXPECT_NE(taken.err.find("already exists for client Client"), std::string::npos) << taken.err;
  EXPECT_NE(taken.err.find("--overwrite"), std::string::npos) << taken.err;
  EXPECT_EQ(db.value("SELECT client_name LIKE 'Client %' FROM proposals_log WHERE proposal_id = 'PR-2025-00001'"), "t");
  auto replaced =
      run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Somebody Else", "--location", "DXB-001",
           "--start", "2025-03-03", "--id", "PR-2025-00001", "--overwrite", "--out", (dir.path() / "x").string()});
  EXPECT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(db.value("SELECT client_name FROM proposals_log WHERE proposal_id = 'PR-2025-00001'"), "Somebody Else");
}

TEST(ProposalInput, DeeplyNestedBatchFilesAreOneLineNotACrash) {
  test::IntegrationFixture f;
  auto out = (f.dir.path() / "out").string();
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const auto& text : {deep, "[{\"client_name\": " + deep + "}]"}) {
    auto batch = f.file("deep.json", text);
    auto r = f.run({"proposal", "batch", batch, "--workspace", "skyline/sales", "--out", out});
    expect_one_line_refusal(r, batch + ": batch file nests arrays and objects deeper than 64 levels");
  }
  auto broken = f.run({"proposal", "batch", f.file("broken.json", "[\n  {\"client\": tru}\n]"), "--workspace",
                       "skyline/sales", "--out", out});
  expect_one_line_refusal(broken, "broken.json:2:");
}

TEST(ProposalInput, OversizedBatchFilesAreRefusedUnread) {
  test::IntegrationFixture f;
  auto out = (f.dir.path() / "out").string();
  auto json_batch = f.file("big.json", "[" + std::string(16u << 20, ' ') + "]");
  expect_one_line_refusal(f.run({"proposal", "batch", json_batch, "--workspace", "skyline/sales", "--out", out}),
                          "has 16777218 bytes; the limit is 16 MiB");
  auto csv_batch = f.file("big.csv", "client_name,location_key,start_date\n" + std::string(64u << 20, 'x'));
  expect_one_line_refusal(f.run({"proposal", "batch", csv_batch, "--workspace", "skyline/sales", "--out", out}),
                          "the limit is 64 MiB");
}

TEST_F(ProposalFixture, TotalsBeyondSixtyFourBitsAreRefusedWithNothingWritten) {
  // Each location's line fits in 64 bits; their sum on the summary page does not.
  db.exec("UPDATE rate_cards SET net_rate = 4500000000000000000, upload_fee = 0");
  auto out = dir.path() / "huge";
  auto r = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "Big Spender", "--location",
                "DXB-001,DXB-002", "--combined", "--start", "2025-03-03", "--weeks", "1", "--out", out.string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("out of range"), std::string::npos) << r.err;
  EXPECT_EQ(db.count("proposals_log"), 0);
  EXPECT_TRUE(!fs::exists(out) || fs::is_empty(out)) << "no PDF without its log row";
}

TEST_F(ProposalFixture, AnOperatorsLogoIsCopiedOnceAndNoStoredPathIsEverRead) {
  auto logo = dir.path() / "logo.jpg";
  fs::copy_file(test::source_dir() / "fixtures/demo/location_day.jpg", logo);
  ASSERT_EQ(run({"partner", "update", "skyline", "--logo", logo.string()}).exit_code, 0);
  auto stored = db.value("SELECT branding->>'logo' FROM partners WHERE slug = 'skyline'");
  EXPECT_EQ(stored.rfind("store:logos/", 0), 0u) << stored;
  fs::remove(logo);  // nothing reads the original again
  auto with = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "A", "--location", "DXB-001",
                   "--start", "2025-03-03", "--out", (dir.path() / "with").string()});
  ASSERT_EQ(with.exit_code, 0) << with.err;
  auto without_logo = dir.path() / "plain";
  // A path stored by an earlier wfa (a stranger's request, say) is never opened: a FIFO there would hang a reader.
  auto fifo = dir.path() / "trap.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  db.exec("UPDATE partners SET branding = jsonb_set(branding, '{logo}', to_jsonb('" + fifo.string() +
          "'::text)) WHERE slug = 'skyline'");
  auto started = std::chrono::steady_clock::now();
  auto plain = run({"proposal", "generate", "--workspace", "skyline/sales", "--client", "B", "--location", "DXB-001",
                    "--start", "2025-03-03", "--out", without_logo.string()});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), 20.0);
  EXPECT_GT(fs::file_size(dir.path() / "with" / "PR-2025-00001.pdf"), fs::file_size(without_logo / "PR-2025-00002.pdf"))
      << "the stored logo is embedded, the stored path is not";
}

}  // namespace
}  // namespace wfa
