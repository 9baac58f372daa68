#pragma once
/// Hard bounces: the address goes to the suppression list, and an invitation that bounced is marked undeliverable
/// and its inviter told.
#include <string>

#include "core/pqxx_fwd.hpp"

namespace wfa {

class Session;

/// suppress_bounced suppresses the recipient of outbox message ID after a hard bounce (DETAIL says why) and, when it
/// carried an invitation, marks that undeliverable and queues a note to its inviter (the super admins when the
/// inviter is not a user), all in TX.
void suppress_bounced(pqxx::transaction_base& tx, Session& session, const std::string& id, const std::string& detail);

}  // namespace wfa
