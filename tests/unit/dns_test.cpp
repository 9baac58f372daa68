// DNS TXT parsing (hand-built wire-format responses) and the JSON overrides resolver.
#include "commands/domain/dns.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "core/config.hpp"
#include "core/error.hpp"

using namespace wfa;

namespace {

using Bytes = std::vector<unsigned char>;

void put16(Bytes& out, unsigned v) {
  out.push_back(static_cast<unsigned char>(v >> 8));
  out.push_back(static_cast<unsigned char>(v & 0xff));
}

/// Record is one answer: TYPE and raw RDATA; its owner name points back at the question.
struct Record {
  unsigned type;
  Bytes rdata;
};

/// txt_rdata encodes character-strings, each prefixed with its length byte.
Bytes txt_rdata(const std::vector<std::string>& strings) {
  Bytes out;
  for (const auto& s : strings) {
    out.push_back(static_cast<unsigned char>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

/// append_answers adds ANSWERS whose owner name points back at the question (offset 12).
void append_answers(Bytes& m, const std::vector<Record>& answers) {
  for (const auto& a : answers) {
    put16(m, 0xc00c);
    put16(m, a.type);
    put16(m, 1);
    put16(m, 0);
    put16(m, 300);
    put16(m, static_cast<unsigned>(a.rdata.size()));
    m.insert(m.end(), a.rdata.begin(), a.rdata.end());
  }
}

/// response builds a DNS response to a TXT query for NAME with ANSWERS (RFC 1035 §4.1).
Bytes response(const std::string& name, const std::vector<Record>& answers) {
  Bytes m;
  for (unsigned v : {0x1234u, 0x8180u, 1u, static_cast<unsigned>(answers.size()), 0u, 0u}) put16(m, v);
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    m.push_back(static_cast<unsigned char>(dot - start));
    m.insert(m.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  m.push_back(0);
  put16(m, 16);
  put16(m, 1);
  append_answers(m, answers);
  return m;
}

/// FakeNameServer answers one UDP query on 127.0.0.1 with RCODE and TXT RECORDS, echoing the question.
class FakeNameServer {
 public:
  FakeNameServer(unsigned rcode, std::vector<std::string> records) {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bind(fd_, reinterpret_cast<sockaddr*>(&address), length);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    timeval wait{3, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    thread_ = std::thread([this, rcode, records = std::move(records)] { serve(rcode, records); });
  }
  ~FakeNameServer() {
    thread_.join();
    close(fd_);
  }
  int port() const { return port_; }

 private:
  void serve(unsigned rcode, const std::vector<std::string>& records) {
    unsigned char query[512];
    sockaddr_in from{};
    socklen_t length = sizeof from;
    auto n = recvfrom(fd_, query, sizeof query, 0, reinterpret_cast<sockaddr*>(&from), &length);
    if (n < 12) return;
    std::size_t end = 12;
    while (end < static_cast<std::size_t>(n) && query[end] != 0) end += query[end] + 1u;
    end += 5;  // the root label, QTYPE, QCLASS
    std::vector<Record> answers;
    for (const auto& r : records) answers.push_back({16, txt_rdata({r})});
    Bytes reply(query, query + 2);
    for (unsigned v : {0x8180u | rcode, 1u, static_cast<unsigned>(answers.size()), 0u, 0u}) put16(reply, v);
    reply.insert(reply.end(), query + 12, query + std::min(end, static_cast<std::size_t>(n)));
    append_answers(reply, answers);
    sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), length);
  }
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

/// ScratchFile is a file in /tmp removed on destruction.
struct ScratchFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("wfa-dns-" + std::to_string(getpid()) + ".json");
  explicit ScratchFile(const std::string& text) { std::ofstream(path) << text; }
  ~ScratchFile() { std::filesystem::remove(path); }
};

const std::string name = "_wfa-verify.example.com";

}  // namespace

TEST(Dns, VerificationRecordName) {
  EXPECT_EQ(verification_record_name("app.example.com"), "_wfa-verify.app.example.com");
}

TEST(Dns, ParsesTxtRecordsConcatenatingCharacterStrings) {
  auto m = response(name, {{16, txt_rdata({"abc", "def"})}, {16, txt_rdata({"token"})}, {16, txt_rdata({""})}});
  EXPECT_EQ(parse_txt_answer(m.data(), m.size(), name), (std::vector<std::string>{"abcdef", "token", ""}));
}

TEST(Dns, SkipsOtherRecordTypesAndHandlesNoAnswers) {
  auto cname = response(name, {{5, {0xc0, 0x0c}}, {16, txt_rdata({"tok"})}});
  EXPECT_EQ(parse_txt_answer(cname.data(), cname.size(), name), (std::vector<std::string>{"tok"}));
  auto empty = response(name, {});
  EXPECT_TRUE(parse_txt_answer(empty.data(), empty.size(), name).empty());
}

TEST(Dns, MalformedResponsesAreTemporaryErrors) {
  Bytes overrun = txt_rdata({"abc"});
  overrun[0] = 9;  // claims more bytes than the record holds
  auto bad = response(name, {{16, overrun}});
  EXPECT_THROW(parse_txt_answer(bad.data(), bad.size(), name), TemporaryError);
  auto truncated = response(name, {{16, txt_rdata({"abcdef"})}});
  truncated.resize(truncated.size() - 3);
  EXPECT_THROW(parse_txt_answer(truncated.data(), truncated.size(), name), TemporaryError);
  Bytes garbage = {0x12, 0x34, 0x81};
  EXPECT_THROW(parse_txt_answer(garbage.data(), garbage.size(), name), TemporaryError);
}

TEST(Dns, OverridesMatchNamesCaseInsensitively) {
  ScratchFile file(R"({"_WFA-Verify.Example.com.": ["one", "two"], "other.example.com": []})");
  OverridesTxtResolver resolver(file.path);
  EXPECT_EQ(resolver.lookup_txt("_wfa-verify.example.com"), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(resolver.lookup_txt("_wfa-verify.EXAMPLE.com."), (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(resolver.lookup_txt("other.example.com").empty());
  EXPECT_TRUE(resolver.lookup_txt("absent.example.com").empty());
}

TEST(Dns, BadOverridesFilesAreInvalidInputNamingTheFile) {
  for (const std::string text : {"{\"a\": [", "[\"a\"]", R"({"a": "tok"})", R"({"a": [1]})"}) {
    ScratchFile file(text);
    try {
      OverridesTxtResolver resolver(file.path);
      FAIL() << "accepted " << text;
    } catch (const InvalidInputError& e) {
      EXPECT_NE(std::string(e.what()).find(file.path.string()), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(OverridesTxtResolver("/nonexistent/wfa-dns.json"), InvalidInputError);
}

TEST(Dns, MakeTxtResolverPrefersTheOverridesSetting) {
  auto no_env = [](const std::string&) { return std::optional<std::string>(); };
  ScratchFile file(R"({"_wfa-verify.example.com": ["tok"]})");
  auto with = make_txt_resolver(Config::load({{"dns_overrides", file.path.string()}, {"test_mode", "1"}}, no_env));
  EXPECT_EQ(with->lookup_txt(name), (std::vector<std::string>{"tok"}));
  auto without = make_txt_resolver(Config::load({}, no_env));
  EXPECT_NE(dynamic_cast<SystemTxtResolver*>(without.get()), nullptr);
}

TEST(Dns, SystemResolverReadsAnswersAndMapsFailures) {
  {
    FakeNameServer server(0, {"v=spf1 -all", "token"});
    SystemTxtResolver resolver("127.0.0.1", server.port());
    EXPECT_EQ(resolver.lookup_txt(name), (std::vector<std::string>{"v=spf1 -all", "token"}));
  }
  {
    FakeNameServer server(3, {});  // NXDOMAIN
    SystemTxtResolver resolver("127.0.0.1", server.port());
    EXPECT_TRUE(resolver.lookup_txt(name).empty());
  }
  {
    FakeNameServer server(2, {});  // SERVFAIL
    SystemTxtResolver resolver("127.0.0.1", server.port());
    EXPECT_THROW(resolver.lookup_txt(name), TemporaryError);
  }
}
