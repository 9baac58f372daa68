-- wfa_call_cost_parts splits a call's cost breakdown, as its provider sent it, into the parts `wfa costs report` adds
-- up, in micro-dollars: VAPI's costBreakdown (USD: llm, stt, tts, transport, vapi; llmPromptTokens and
-- llmCompletionTokens) and Retell's call_cost.product_costs (cents, by product name: text to speech and voice
-- vendors are voice, speech to text transcriber, telephony transport, Retell's own platform, the rest the model).
-- Synthflow sends none. Whatever the parts leave of the call's total is the report's "other".
CREATE FUNCTION wfa_call_cost_parts(provider text, breakdown jsonb)
RETURNS TABLE (model_micros bigint, transcriber_micros bigint, voice_micros bigint, transport_micros bigint,
               platform_micros bigint, prompt_tokens bigint, completion_tokens bigint)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH vapi AS (
    SELECT e.key, greatest(e.value::numeric, 0) AS amount
      FROM jsonb_each(CASE WHEN $1 = 'vapi' AND jsonb_typeof($2) = 'object' THEN $2 ELSE '{}' END) e
     WHERE jsonb_typeof(e.value) = 'number'),
  retell AS (
    SELECT lower(coalesce(p->>'product', '')) AS product, greatest((p->'cost')::numeric, 0) AS cents
      FROM jsonb_array_elements(CASE WHEN $1 = 'retell' AND jsonb_typeof($2->'product_costs') = 'array'
                                     THEN $2->'product_costs' ELSE '[]' END) p
     WHERE jsonb_typeof(p->'cost') = 'number'),
  parts AS (
    SELECT CASE key WHEN 'llm' THEN 'model' WHEN 'stt' THEN 'transcriber' WHEN 'tts' THEN 'voice'
                    WHEN 'transport' THEN 'transport' WHEN 'vapi' THEN 'platform' END AS part,
           round(amount * 1000000)::bigint AS micros
      FROM vapi
    UNION ALL
    SELECT CASE WHEN product ~ '(tts|voice|elevenlabs|cartesia|playht|minimax)' THEN 'voice'
                WHEN product ~ '(stt|asr|transcri|deepgram)' THEN 'transcriber'
                WHEN product ~ '(telephony|twilio|telnyx|vonage|sip|transport)' THEN 'transport'
                WHEN product ~ '(retell|platform)' THEN 'platform'
                ELSE 'model' END,
           round(cents * 10000)::bigint
      FROM retell)
  SELECT coalesce(sum(micros) FILTER (WHERE part = 'model'), 0)::bigint,
         coalesce(sum(micros) FILTER (WHERE part = 'transcriber'), 0)::bigint,
         coalesce(sum(micros) FILTER (WHERE part = 'voice'), 0)::bigint,
         coalesce(sum(micros) FILTER (WHERE part = 'transport'), 0)::bigint,
         coalesce(sum(micros) FILTER (WHERE part = 'platform'), 0)::bigint,
         coalesce((SELECT round(amount)::bigint FROM vapi WHERE key = 'llmPromptTokens'), 0),
         coalesce((SELECT round(amount)::bigint FROM vapi WHERE key = 'llmCompletionTokens'), 0)
    FROM parts
$$;
