-- Issue 23, the proposals and calls parts: proposals are records the 4-level model protects (owned through
-- record_owners, record type 'proposal', by the user who first logged them), and a call ingest flags the calls that
-- need a follow-up from what the provider reported.

-- Proposal rights: sales:proposals:* lies outside workspace:*:read, so reading every proposal is a grant of its own;
-- without it a member reads the proposals their record access reaches (owned, led, shared). Owners and admins hold
-- every proposal right; generating stays workspace:proposals:create.
INSERT INTO role_permissions (scope, role, permission) VALUES
  ('workspace', 'owner', 'sales:*:*'),
  ('workspace', 'admin', 'sales:proposals:*')
ON CONFLICT DO NOTHING;

-- wfa_call_needs_follow_up is the ingest's rule for conversations.requires_follow_up, over a normalised call (its
-- direction, wfa status, provider end reason and metadata as the ingest stores them). A call needs a follow-up when
--  * the provider judged it unsuccessful: VAPI analysis.successEvaluation "false" or "fail", Retell
--    call_analysis.call_successful false;
--  * its structured data (VAPI analysis.structuredData, Retell call_analysis.custom_analysis_data) sets a follow-up
--    key (follow_up, followUp, requires_follow_up, requiresFollowUp, needs_follow_up, needsFollowUp,
--    callback_requested, callbackRequested) to true, "true" or "yes";
--  * it is outbound and reached no one: status no_answer or busy (VAPI customer-did-not-answer, customer-busy; Retell
--    dial_no_answer, dial_busy; Synthflow no-answer, busy), or it ended at a voicemail (VAPI voicemail, Retell
--    voicemail_reached or call_analysis.in_voicemail true, Synthflow voicemail, voicemail_cut_off,
--    voicemail_message_left).
CREATE FUNCTION wfa_call_needs_follow_up(direction text, status text, ended_reason text, metadata jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    lower(metadata #>> '{analysis,successEvaluation}') IN ('false', 'fail')
    OR metadata #>> '{call_analysis,call_successful}' = 'false'
    OR EXISTS (
      SELECT 1
        FROM jsonb_each(CASE WHEN jsonb_typeof(coalesce(metadata #> '{analysis,structuredData}',
                                                        metadata #> '{call_analysis,custom_analysis_data}')) = 'object'
                             THEN coalesce(metadata #> '{analysis,structuredData}',
                                           metadata #> '{call_analysis,custom_analysis_data}')
                             ELSE '{}' END) f
       WHERE f.key IN ('follow_up', 'followUp', 'requires_follow_up', 'requiresFollowUp', 'needs_follow_up',
                       'needsFollowUp', 'callback_requested', 'callbackRequested')
         AND lower(f.value #>> '{}') IN ('true', 'yes'))
    OR (direction = 'outbound'
        AND (status IN ('no_answer', 'busy')
             OR ended_reason IN ('voicemail', 'voicemail_reached', 'voicemail_cut_off', 'voicemail_message_left')
             OR metadata #>> '{call_analysis,in_voicemail}' = 'true')),
    false)
$$;
