// Read-only verbs read from WFA_DATABASE_REPLICA_URL when it is set and usable; writes always go to the primary.
#include <gtest/gtest.h>

#include "tests/support/integration_fixture.hpp"

using namespace wfa;

TEST(Replica, ReadOnlyVerbsReadTheReplicaAndWritesGoToThePrimary) {
  test::IntegrationFixture f;
  test::TestDatabase replica;  // a second database stands in for the replica
  f.add_partner("acme", "Acme");
  replica.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('only-on-replica', 'Replica', 'starter')");
  f.env["WFA_DATABASE_REPLICA_URL"] = replica.url();

  auto listed = f.run_json({"partner", "list"});
  ASSERT_EQ(listed["partners"].size(), 1u);
  EXPECT_EQ(listed["partners"][0]["slug"], "only-on-replica");
  EXPECT_EQ(f.run({"partner", "show", "only-on-replica"}).exit_code, 0);
  EXPECT_EQ(f.run({"partner", "show", "acme"}).exit_code, 3) << "show reads the replica too";

  auto created = f.run({"partner", "create", "beta", "--name", "Beta"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(f.value("SELECT count(*) FROM partners WHERE slug = 'beta'"), "1") << "the write went to the primary";
  EXPECT_EQ(replica.value("SELECT count(*) FROM partners WHERE slug = 'beta'"), "0");
}

TEST(Replica, AnUnreachableReplicaFallsBackToThePrimaryWithOneNote) {
  test::IntegrationFixture f;
  f.add_partner("acme", "Acme");
  f.env["WFA_DATABASE_REPLICA_URL"] = "host=/nonexistent-wfa-socket-dir port=1 dbname=none connect_timeout=2";
  auto r = f.run({"partner", "list", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"acme\""), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("reading from the primary"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}
