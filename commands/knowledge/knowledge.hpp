#pragma once
/// `wfa knowledge`: text, markdown and PDF documents a workspace's agents draw on, kept in the file store, and
/// `wfa agent link-knowledge|unlink-knowledge`, which name them in an agent's spec.
#include <optional>
#include <string>

#include "core/listing.hpp"

namespace wfa {

class Session;

struct KnowledgeAddOptions {
  std::string workspace;
  std::string file;
  std::optional<std::string> name;  ///< default: the file's name
  bool dry_run = false;
};

struct KnowledgeRefOptions {
  std::string workspace;
  std::string document;  ///< name or id
  bool yes = false;
  bool dry_run = false;
};

struct KnowledgeListOptions {
  std::string workspace;
  Paging paging;
};

struct AgentKnowledgeOptions {
  std::string workspace;
  std::string agent;
  std::string document;
  bool dry_run = false;
};

Result run_knowledge_add(const KnowledgeAddOptions& options, Session& session);
Result run_knowledge_list(const KnowledgeListOptions& options, Session& session);
Result run_knowledge_show(const KnowledgeRefOptions& options, Session& session);
/// run_knowledge_remove deletes the document and drops it from every agent's spec (each then needs a resync).
Result run_knowledge_remove(const KnowledgeRefOptions& options, Session& session);
/// run_agent_link_knowledge adds the document to the agent's spec; unlink removes it. Both bump the agent's version.
Result run_agent_link_knowledge(const AgentKnowledgeOptions& options, Session& session);
Result run_agent_unlink_knowledge(const AgentKnowledgeOptions& options, Session& session);

}  // namespace wfa
