#pragma once
// Shared by the campaign tests: partner acme, workspace acme/main, campaign acme/main/spring.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <pqxx/nontransaction>

#include "tests/support/test_cluster.hpp"

namespace wfa::test {

struct CampaignFixture {
  TestDatabase db;
  TempDir dir;
  std::map<std::string, std::string> env{{"WFA_DATABASE_URL", db.url()}};
  CampaignFixture() {
    db.exec("INSERT INTO partners (slug, name, plan_tier) VALUES ('acme', 'Acme', 'starter')");
    db.exec("INSERT INTO workspaces (partner_id, slug, name) SELECT id, 'main', 'Main' FROM partners WHERE slug = 'acme'");
    db.exec("INSERT INTO campaigns (workspace_id, name, timezone, created_by) SELECT id, 'spring', 'Asia/Dubai', 'test' FROM workspaces");
  }
  ProcessResult wfa(const std::vector<std::string>& args) { return run_wfa(args, env); }
  pqxx::result sql(const std::string& query) {
    pqxx::nontransaction tx(db.conn());
    return tx.exec(query);
  }
  /// file writes CONTENT to NAME in the fixture's directory and returns its path.
  std::string file(const std::string& name, const std::string& content) {
    auto path = (dir.path() / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  long recipients() { return db.count("campaign_recipients"); }
};

}  // namespace wfa::test
