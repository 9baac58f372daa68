-- W4 fingerprint of wfa's conversations (bench/w4/w4_fingerprint.sql adapted): cost in dollars from micro-dollars,
-- the workspace and agent by name rather than by generated id.
SELECT count(*) AS rows, sum(c.duration_seconds) AS sum_duration, sum(c.total_cost_micros) / 1000000.0 AS sum_cost,
       count(c.phone_number) AS with_phone,
       md5(string_agg(concat_ws('|', w.slug, a.name, c.provider, c.external_call_id, c.direction, c.status,
                                c.phone_number, c.started_at, c.ended_at, c.duration_seconds, md5(c.transcript),
                                md5(c.summary), c.total_cost_micros, c.cost_breakdown::text, c.metadata::text),
                      E'\n' ORDER BY c.external_call_id)) AS content_md5
FROM conversations c JOIN workspaces w ON w.id = c.workspace_id JOIN ai_agents a ON a.id = c.agent_id;
