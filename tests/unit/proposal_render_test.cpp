#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "core/file_io.hpp"
#include "pipelines/proposal_render.hpp"

namespace wfa {
namespace {

const std::string source = WFA_SOURCE_DIR;

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

/// sample prices LOCATIONS locations at 15,000 AED a week with the demo photo.
ProposalContent sample(const ProposalLayout& layout, int locations) {
  ProposalContent content{"PR-2025-00001",
                          "Café Société Trading L.L.C.",
                          "Skyline Outdoor Media",
                          "#0B5FA5",
                          nullptr,
                          "06 Jan 2025",
                          "29 Dec 2025",
                          52,
                          "AED",
                          2,
                          {}};
  auto photo = make_pdf_image(read_file(source + "/fixtures/demo/location_day.jpg", "photo"), "photo");
  for (int i = 0; i < locations; ++i) {
    ProposalLocation location{"DXB-00" + std::to_string(i + 1),
                              "Sheikh Zayed Road – Unipole " + std::to_string(i + 1),
                              photo,
                              {},
                              1500000,
                              100000,
                              {}};
    for (int weeks : layout.durations())
      location.lines.push_back(price_line(weeks, {1, 1500000, 100000, 500}, std::nullopt, {}, layout.vat_bp()));
    location.campaign = location.lines.back();
    content.locations.push_back(location);
  }
  return content;
}

std::string write(const ProposalLayout& layout, const std::vector<RenderedPage>& pages) {
  std::vector<const RenderedPage*> list;
  for (const auto& page : pages) list.push_back(&page);
  return write_pdf(layout.fonts(), list, {"Proposal", ""});
}

TEST(ProposalRender, TwoPagesDeterministicWithOnePhotoObject) {
  auto layout = ProposalLayout::load(source + "/templates/proposal/standard.json");
  auto content = sample(*layout, 1);
  auto first = write(*layout, render_proposal(*layout, content));
  auto second = write(*layout, render_proposal(*layout, content));
  EXPECT_EQ(first, second);
  EXPECT_EQ(count(first, "/Type /Page "), 2u);
  EXPECT_EQ(count(first, "/Subtype /Image"), 1u);
  EXPECT_EQ(count(first, "/FontFile2"), 2u);
  if (const char* out = std::getenv("WFA_TEST_PDF_OUT")) write_file_atomic(out, first);
}

TEST(ProposalRender, CombinedProposalAddsPagesPerLocationAndSummaryButOnePhoto) {
  auto layout = ProposalLayout::load(source + "/templates/proposal/standard.json");
  auto pdf = write(*layout, render_proposal(*layout, sample(*layout, 3)));
  EXPECT_EQ(count(pdf, "/Type /Page "), 5u);  // cover, 3 financials, summary
  EXPECT_EQ(count(pdf, "/Subtype /Image"), 1u);
}

TEST(ProposalRender, StreamedDocumentMatchesTheInMemoryOneAndReachesTheSinkInChunks) {
  auto layout = ProposalLayout::load(source + "/templates/proposal/standard.json");
  auto pages = render_proposal(*layout, sample(*layout, 1));
  std::vector<const RenderedPage*> list;
  for (int copy = 0; copy < 2000; ++copy)
    for (const auto& page : pages) list.push_back(&page);
  std::string streamed;
  std::size_t calls = 0, largest = 0;
  PdfStream stream(layout->fonts(), [&](std::string_view bytes) {
    ++calls;
    largest = std::max(largest, bytes.size());
    streamed += bytes;
  });
  for (const auto* page : list) stream.add(*page);
  auto size = stream.finish({"Proposal", ""});
  EXPECT_EQ(size, streamed.size());
  EXPECT_EQ(streamed, write_pdf(layout->fonts(), list, {"Proposal", ""}));
  EXPECT_EQ(count(streamed, "/Type /Page "), 4000u);
  EXPECT_EQ(count(streamed, "/Subtype /Image"), 1u);
  // The pages come to several MB: the stream hands them over in chunks of about 1 MiB.
  EXPECT_GE(calls, 4u);
  EXPECT_LT(largest, std::size_t(3) << 20);
}

}  // namespace
}  // namespace wfa
