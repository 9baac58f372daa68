-- ai_agents: a workspace's voice agents. config is the agent spec (pipelines/providers/agent_spec) as
-- JSON. version counts changes and synced_version is the last one the provider acknowledged, so
-- needs_resync says version > synced_version or a delete the provider has not seen. `agent sync`
-- writes each external id in its own transaction the moment the provider returns it;
-- acknowledged_payload is what the provider last accepted, which the sync plan diffs against;
-- sync_attempt marks a create in flight, and the provider object carries it, so a run after a
-- crash adopts that object instead of making a second one.
CREATE TABLE ai_agents (
  workspace_id          uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id                    uuid NOT NULL DEFAULT gen_random_uuid(),
  name                  text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  provider              text NOT NULL CHECK (provider IN ('vapi', 'retell', 'synthflow')),
  voice_provider        text,
  model_provider        text,
  transcriber_provider  text,
  config                jsonb NOT NULL CHECK (jsonb_typeof(config) = 'object'),
  external_agent_id     text,
  external_llm_id       text,  -- Retell's LLM, made before its agent
  acknowledged_payload  jsonb,
  sync_attempt          uuid,  -- marks a create that may have reached the provider unrecorded
  is_active             boolean NOT NULL DEFAULT true,
  version               integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  synced_version        integer NOT NULL DEFAULT 0 CHECK (synced_version >= 0),
  needs_resync          boolean NOT NULL DEFAULT true,
  sync_status           text NOT NULL DEFAULT 'pending'
                        CHECK (sync_status IN ('pending', 'synced', 'failed', 'removed')),
  last_synced_at        timestamptz,
  last_sync_error       text,
  total_calls           bigint NOT NULL DEFAULT 0 CHECK (total_calls >= 0),
  total_seconds         bigint NOT NULL DEFAULT 0 CHECK (total_seconds >= 0),
  created_by            text,
  deleted_at            timestamptz,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id)
);
CREATE UNIQUE INDEX ai_agents_live_name ON ai_agents (workspace_id, lower(name)) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX ai_agents_external_id ON ai_agents (workspace_id, provider, external_agent_id)
  WHERE external_agent_id IS NOT NULL;
CREATE INDEX ai_agents_to_sync ON ai_agents (workspace_id) WHERE needs_resync;
CREATE TRIGGER ai_agents_touch BEFORE UPDATE ON ai_agents FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- knowledge_documents: text, markdown or PDF files an agent may draw on, kept in the file store.
CREATE TABLE knowledge_documents (
  workspace_id  uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  media_type    text NOT NULL CHECK (media_type IN ('text/plain', 'text/markdown', 'application/pdf')),
  path          text NOT NULL,
  sha256        text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes         bigint NOT NULL CHECK (bytes >= 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, id),
  UNIQUE (workspace_id, name)
);
CREATE TRIGGER knowledge_documents_touch BEFORE UPDATE ON knowledge_documents
  FOR EACH ROW EXECUTE FUNCTION wfa_touch_updated_at();

-- agent_knowledge_documents links agents to the documents they use.
CREATE TABLE agent_knowledge_documents (
  workspace_id  uuid NOT NULL,
  agent_id      uuid NOT NULL,
  document_id   uuid NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, agent_id, document_id),
  FOREIGN KEY (workspace_id, agent_id) REFERENCES ai_agents (workspace_id, id) ON DELETE CASCADE,
  FOREIGN KEY (workspace_id, document_id) REFERENCES knowledge_documents (workspace_id, id) ON DELETE CASCADE
);
