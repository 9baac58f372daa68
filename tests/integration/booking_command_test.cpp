// `wfa booking` and share of voice: the team example on bookings (leaders see members' bookings, not another team's;
// shares to a user and a team until they expire), lists per role under --as, the approval workflow as data with
// thresholds and the second pair of eyes, overbooking refused with its days and bookings, two approvals racing for
// the last share of a location (one wins), documents, bookings from a logged proposal, availability and occupancy.
#include <fstream>
#include <set>
#include <thread>

#include "tests/integration/perm_fixture.hpp"

using namespace wfa;
using perm_test::json;

namespace {

/// BookingWorld: team Sales (alice leads, bob and carol members) and team Support (erin leads, frank member);
/// locations L1 and L2; bob, carol, frank and dave (no team) each created one draft booking on L2 for a client named
/// after themselves.
struct BookingWorld : perm_test::Fixture {
  BookingWorld() {
    ok({"team", "create", "Sales"});
    ok({"team", "create", "Support"});
    ok({"team", "add", "Sales", "alice@acme.test", "--leader"});
    ok({"team", "add", "Sales", "bob@acme.test"});
    ok({"team", "add", "Sales", "carol@acme.test"});
    ok({"team", "add", "Support", "erin@acme.test", "--leader"});
    ok({"team", "add", "Support", "frank@acme.test"});
    for (const char* key : {"L1", "L2"}) {
      auto r = run({"location", "add", key, "--workspace", "acme/main", "--name", std::string("Face ") + key});
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    for (const char* who : {"bob", "carol", "frank", "dave"}) {
      auto r = as(std::string(who) + "@acme.test", booking(who, "L2", "2027-06-01", "2027-06-30", "1"));
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
  }

  /// booking is the arguments of `booking create` for CLIENT on LOCATION over FROM..TO with SHARE percent.
  static std::vector<std::string> booking(const std::string& client, const std::string& location,
                                          const std::string& from, const std::string& to, const std::string& share,
                                          const std::string& total = "10000") {
    return {"booking", "create", "--workspace", "acme/main", "--client", client, "--location", location,
            "--from",  from,     "--to",        to,          "--share",  share,  "--total",    total};
  }

  ProcessResult as(const std::string& email, std::vector<std::string> args) {
    args.insert(args.end(), {"--as", email});
    return run(args);
  }

  /// made runs a booking create and returns the new booking's number.
  std::string made(const std::vector<std::string>& args) {
    auto r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return value("SELECT number FROM booking_orders ORDER BY created_at DESC, number DESC LIMIT 1");
  }

  ProcessResult verb(const std::string& verb, const std::string& number, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"booking", verb, number, "--workspace", "acme/main"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }

  /// seen is the set of clients of the bookings `booking list` shows to EMAIL.
  std::set<std::string> seen(const std::string& email) {
    auto r = as(email, {"booking", "list", "--workspace", "acme/main", "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << email << ": " << r.err;
    std::set<std::string> names;
    auto doc = json::parse(r.out, nullptr, false);
    if (doc.is_discarded()) return names;
    for (const auto& b : doc["bookings"]) names.insert(b["client"].get<std::string>());
    return names;
  }

  std::string id_of(const std::string& client) {
    return value("SELECT id FROM booking_orders WHERE client_name = '" + client + "'");
  }
};

using Names = std::set<std::string>;

}  // namespace

TEST(Booking, LeadersSeeTheirMembersBookingsNotTheOtherTeamsAndListsShowExactlyThePermittedRows) {
  BookingWorld w;
  EXPECT_EQ(w.value("SELECT count(*) FROM record_owners WHERE record_type = 'booking'"), "4");
  EXPECT_EQ(w.seen("alice@acme.test"), (Names{"bob", "carol"}));
  EXPECT_EQ(w.seen("erin@acme.test"), (Names{"frank"}));
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob"}));
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{}));
  Names all{"bob", "carol", "frank", "dave"};
  EXPECT_EQ(w.seen("admin@acme.test"), all);
  EXPECT_EQ(w.seen("owner@acme.test"), all);
  EXPECT_EQ(w.seen("padmin@acme.test"), all);
  EXPECT_EQ(w.as("outsider@else.test", {"booking", "list", "--workspace", "acme/main"}).exit_code, 5);

  auto carol = w.id_of("carol");
  EXPECT_TRUE(w.allowed("alice@acme.test", "sales:bookings:read", {"--record", "booking:" + carol}));
  EXPECT_FALSE(w.allowed("erin@acme.test", "sales:bookings:read", {"--record", "booking:" + carol}));
  EXPECT_EQ(w.as("erin@acme.test", {"booking", "show", carol, "--workspace", "acme/main"}).exit_code, 5);
  EXPECT_EQ(w.as("alice@acme.test", {"booking", "submit", carol, "--workspace", "acme/main"}).exit_code, 0)
      << "a leader may submit a member's booking";
  EXPECT_EQ(w.as("alice@acme.test", {"booking", "cancel", carol, "--workspace", "acme/main"}).exit_code, 5)
      << "cancelling needs full access, which leaders lack";
}

TEST(Booking, SharesToAUserAndToATeamShowBookingsUntilTheyExpire) {
  BookingWorld w;
  w.ok({"share", "booking:" + w.id_of("dave"), "--user", "viewer@acme.test", "--level", "read", "--expires",
        "2099-01-01T00:00:00Z"});
  w.ok({"share", "booking:" + w.id_of("frank"), "--team", "Sales", "--level", "read_write"});
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{"dave"}));
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob", "frank"}));
  EXPECT_EQ(w.seen("alice@acme.test"), (Names{"bob", "carol", "frank"}));
  EXPECT_EQ(w.as("viewer@acme.test", {"booking", "submit", w.id_of("dave"), "--workspace", "acme/main"}).exit_code, 5)
      << "a read share does not let the viewer submit";
  w.exec("UPDATE record_shares SET expires_at = now() - interval '1 second'");
  EXPECT_EQ(w.seen("viewer@acme.test"), (Names{}));
  EXPECT_EQ(w.seen("bob@acme.test"), (Names{"bob"}));
}

TEST(Booking, WorkflowStepsAreDataWithThresholdsAndNeverDecidedByTheOwner) {
  BookingWorld w;
  auto bob = w.value("SELECT number FROM booking_orders WHERE client_name = 'bob'");
  EXPECT_EQ(w.as("bob@acme.test", {"booking", "submit", bob, "--workspace", "acme/main"}).exit_code, 0);
  auto own = w.as("bob@acme.test", {"booking", "approve", bob, "--workspace", "acme/main"});
  EXPECT_EQ(own.exit_code, 5) << own.err;
  EXPECT_EQ(test::lines(own.err), 1u) << own.err;
  auto leader = w.as("alice@acme.test", {"booking", "approve", bob, "--workspace", "acme/main"});
  EXPECT_EQ(leader.exit_code, 5) << "leading the owner's team gives no step permission: " << leader.err;
  auto r = w.as("admin@acme.test", {"booking", "approve", bob, "--workspace", "acme/main", "--comment", "fine"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(w.value("SELECT status FROM booking_orders WHERE number = '" + bob + "'"), "approved");
  EXPECT_EQ(w.value("SELECT count(*) FROM location_occupations"), "1");
  EXPECT_EQ(w.value("SELECT actor || '/' || (new_values->>'comment') FROM audit_log WHERE action = 'booking.approve'"),
            "admin@acme.test/fine");

  ASSERT_EQ(w.run({"booking", "workflow", "set", "--workspace", "acme/main", "--step", "manager=sales:bookings:approve",
                   "--step", "finance=sales:bookings:finance@50,000"})
                .exit_code,
            0);
  auto small = w.made(BookingWorld::booking("Small", "L1", "2027-01-01", "2027-01-10", "10", "10000"));
  auto large = w.made(BookingWorld::booking("Large", "L1", "2027-01-01", "2027-01-10", "10", "60000"));
  auto usd = w.made({"booking", "create", "--workspace", "acme/main", "--client", "Dollars", "--location", "L1",
                     "--from", "2027-02-01", "--to", "2027-02-02", "--total", "20000", "--currency", "USD"});
  w.exec("INSERT INTO currency_rates (currency, valid_from, rate_ppm) VALUES ('USD', '2020-01-01', 272290)");
  for (const auto& n : {small, large, usd}) ASSERT_EQ(w.verb("submit", n).exit_code, 0) << n;
  auto steps = [&](const std::string& n) {
    return w.value(
        "SELECT string_agg(s.name, ',' ORDER BY s.position) FROM booking_steps s JOIN booking_orders b ON"
        " b.id = s.booking_id WHERE b.number = '" +
        n + "'");
  };
  EXPECT_EQ(steps(small), "manager");
  EXPECT_EQ(steps(large), "manager,finance");
  EXPECT_EQ(steps(usd), "manager,finance") << "20,000 USD is about 73,450 AED, above the threshold";

  EXPECT_EQ(w.verb("approve", large).exit_code, 0);
  EXPECT_EQ(w.value("SELECT status FROM booking_orders WHERE number = '" + large + "'"), "submitted");
  auto reject = w.verb("reject", large);
  EXPECT_EQ(reject.exit_code, 2) << "a rejection needs a comment";
  EXPECT_EQ(test::lines(reject.err), 1u) << reject.err;
  EXPECT_EQ(w.verb("reject", large, {"--comment", "over budget"}).exit_code, 0);
  EXPECT_EQ(w.value("SELECT status || '/' || decided_by || '/' || comment FROM booking_steps WHERE name = 'finance'"
                    " AND status <> 'pending'"),
            "rejected/ops@platform/over budget");
  EXPECT_EQ(w.verb("cancel", large).exit_code, 4) << "a rejected booking stays rejected";
  EXPECT_EQ(w.verb("approve", small).exit_code, 0);
  EXPECT_EQ(w.value("SELECT status FROM booking_orders WHERE number = '" + small + "'"), "approved");
  EXPECT_EQ(w.verb("approve", small).exit_code, 4) << "approved once";
}

TEST(Booking, OverbookingIsRefusedNamingTheDaysAndTheBookingsAndNothingIsWritten) {
  BookingWorld w;
  auto a = w.made(BookingWorld::booking("A", "L1", "2027-01-01", "2027-01-31", "60"));
  ASSERT_EQ(w.verb("submit", a).exit_code, 0);
  ASSERT_EQ(w.verb("approve", a).exit_code, 0);
  auto bookings = w.count("booking_orders");
  auto r = w.run(BookingWorld::booking("B", "L1", "2027-01-20", "2027-02-10", "50"));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(test::lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("L1 on 2027-01-20..2027-01-31"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(a), std::string::npos) << r.err;
  EXPECT_EQ(w.count("booking_orders"), bookings) << "nothing created";

  auto c = w.made(BookingWorld::booking("C", "L1", "2027-01-16", "2027-01-31", "40"));
  ASSERT_EQ(w.verb("submit", c).exit_code, 0);
  ASSERT_EQ(w.verb("approve", c).exit_code, 0);
  auto doc = w.run_json(
      {"location", "availability", "L1", "--workspace", "acme/main", "--from", "2027-01-01", "--to", "2027-02-02"});
  ASSERT_EQ(doc["days"].size(), 3u) << doc.dump();
  EXPECT_EQ(doc["days"][0]["to"], "2027-01-15");
  EXPECT_EQ(doc["days"][0]["booked_pct"], "60.00");
  EXPECT_EQ(doc["days"][1]["from"], "2027-01-16");
  EXPECT_EQ(doc["days"][1]["free_pct"], "0.00");
  EXPECT_EQ(doc["days"][1]["bookings"], a + ", " + c);
  EXPECT_EQ(doc["days"][2]["days"], 2);
  EXPECT_EQ(doc["free_days"], 2);
  EXPECT_EQ(doc["fully_booked_days"], 16);
  EXPECT_EQ(doc["peak_booked_pct"], "100.00");
  auto report =
      w.run_json({"location", "occupancy", "--workspace", "acme/main", "--from", "2027-01-01", "--to", "2027-01-31"});
  ASSERT_EQ(report["locations"].size(), 2u) << report.dump();
  // 60 % × 31 days + 40 % × 16 days = 2500 percent-days over 31 days.
  EXPECT_EQ(report["locations"][0]["occupancy_pct"], "80.65") << report.dump();
  EXPECT_EQ(report["locations"][0]["peak_pct"], "100.00");
  EXPECT_EQ(report["locations"][0]["bookings"], 2);

  ASSERT_EQ(w.verb("cancel", a, {"--comment", "client withdrew"}).exit_code, 0);
  EXPECT_EQ(w.value("SELECT count(*) FROM location_occupations"), "1") << "cancelling frees the share";
  EXPECT_EQ(w.run(BookingWorld::booking("B", "L1", "2027-01-20", "2027-02-10", "50")).exit_code, 0);
}

TEST(Booking, TwoApprovalsRacingForTheLastShareOfALocationCannotBothWin) {
  BookingWorld w;
  for (int round = 0; round < 3; ++round) {
    auto from = "2027-0" + std::to_string(round + 1) + "-01", to = "2027-0" + std::to_string(round + 1) + "-28";
    auto x = w.made(BookingWorld::booking("X" + std::to_string(round), "L1", from, to, "60"));
    auto y = w.made(BookingWorld::booking("Y" + std::to_string(round), "L1", from, to, "60"));
    ASSERT_EQ(w.verb("submit", x).exit_code, 0);
    ASSERT_EQ(w.verb("submit", y).exit_code, 0);
    int codes[2] = {-1, -1};
    std::thread tx([&] { codes[0] = w.verb("approve", x).exit_code; });
    std::thread ty([&] { codes[1] = w.verb("approve", y).exit_code; });
    tx.join();
    ty.join();
    EXPECT_EQ(std::min(codes[0], codes[1]), 0) << "round " << round;
    EXPECT_EQ(std::max(codes[0], codes[1]), 4) << "round " << round;
    EXPECT_EQ(w.value("SELECT count(*) FROM booking_orders WHERE status = 'approved' AND client_name LIKE '_" +
                      std::to_string(round) + "'"),
              "1");
  }
  EXPECT_EQ(w.value("SELECT max(s) FROM (SELECT sum(share_bp) AS s FROM location_occupations o, generate_series("
                    "o.start_date, o.end_date, interval '1 day') d GROUP BY o.location_id, d) t"),
            "6000");
}

TEST(Booking, DocumentsAreKeptInTheFileStoreAndBadOnesChangeNothing) {
  BookingWorld w;
  auto pdf = w.file("signed-order.pdf", "%PDF-1.4\n% signed\n");
  auto text = w.file("notes.txt", "not a document");
  auto bookings = w.count("booking_orders");
  auto bad = w.run({"booking", "create", "--workspace", "acme/main", "--client", "Doc", "--location", "L1", "--from",
                    "2027-03-01", "--to", "2027-03-02", "--total", "5", "--document", text});
  EXPECT_EQ(bad.exit_code, 6) << bad.err;
  EXPECT_EQ(test::lines(bad.err), 1u) << bad.err;
  EXPECT_EQ(w.count("booking_orders"), bookings);
  auto doc = w.run_json({"booking", "create", "--workspace", "acme/main", "--client", "Doc", "--location", "L1",
                         "--from", "2027-03-01", "--to", "2027-03-02", "--total", "5", "--document", pdf});
  EXPECT_EQ(doc["documents"], 1);
  auto number = doc["number"].get<std::string>();
  auto shown = w.run_json({"booking", "show", number, "--workspace", "acme/main"});
  ASSERT_EQ(shown["documents"].size(), 1u);
  EXPECT_EQ(shown["documents"][0]["media_type"], "application/pdf");
  EXPECT_TRUE(std::filesystem::exists(w.dir.path() / "files" / shown["documents"][0]["path"].get<std::string>()))
      << shown.dump();
  auto again = w.verb("attach", number, {pdf});
  EXPECT_EQ(again.exit_code, 4) << again.err;
  EXPECT_EQ(w.verb("show", "BO-1999-0001").exit_code, 3);
  EXPECT_EQ(w.verb("show", "nope").exit_code, 6);
}

TEST(Booking, ABookingFromALoggedProposalTakesItsClientLocationsDatesAndTotal) {
  BookingWorld w;
  w.exec(
      "INSERT INTO proposals_log (workspace_id, proposal_id, client_name, location_keys, start_date, end_date,"
      " currency, total, file_path, sha256, bytes, pages, created_by) VALUES ('" +
      w.workspace_id("acme/main") +
      "', 'P-2027-0001', 'Gulf Motors', '{L1,L2}', '2027-05-01', '2027-05-28', 'AED', 4500050, '/tmp/p.pdf', '" +
      std::string(64, 'a') + "', 10, 2, 'test')");
  auto doc = w.run_json({"booking", "create", "--workspace", "acme/main", "--proposal", "P-2027-0001"});
  EXPECT_EQ(doc["client"], "Gulf Motors");
  EXPECT_EQ(doc["locations"], "L1,L2");
  EXPECT_EQ(doc["start_date"], "2027-05-01");
  EXPECT_EQ(doc["total"], "45000.50");
  EXPECT_EQ(doc["total_minor"], 4500050);
  auto unseen = w.as("bob@acme.test", {"booking", "create", "--workspace", "acme/main", "--proposal", "P-2027-0001"});
  EXPECT_EQ(unseen.exit_code, 5) << "booking a proposal needs the right to read it: " << unseen.err;
  w.ok({"share", "proposal:P-2027-0001", "--user", "bob@acme.test", "--level", "read"});
  EXPECT_EQ(
      w.as("bob@acme.test", {"booking", "create", "--workspace", "acme/main", "--proposal", "P-2027-0001"}).exit_code,
      0)
      << "a share of the proposal is enough";
  auto mixed = w.run({"booking", "create", "--workspace", "acme/main", "--proposal", "P-2027-0001", "--total", "1"});
  EXPECT_EQ(mixed.exit_code, 2) << mixed.err;
  EXPECT_EQ(w.run({"booking", "create", "--workspace", "acme/main", "--proposal", "P-2027-0099"}).exit_code, 3);
}
