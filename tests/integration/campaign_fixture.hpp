#pragma once
/// The world of the campaign tests: partner acme, workspace acme/main, campaign acme/main/spring (draft).
#include "tests/support/integration_fixture.hpp"

namespace wfa::test {

struct CampaignFixture : IntegrationFixture {
  CampaignFixture() {
    add_partner("acme", "Acme");
    add_workspace("acme", "main", "Main");
    exec(
        "INSERT INTO campaigns (workspace_id, name, timezone, created_by)"
        " SELECT id, 'spring', 'Asia/Dubai', 'test' FROM workspaces");
  }
  long recipients() { return count("campaign_recipients"); }
};

}  // namespace wfa::test
