-- W3 fingerprint (bench/w3/w3_fingerprint.sql of the workloads), for wfa's campaign_recipients,
-- where campaign_id is a uuid: psql -v campaign_id=UUID -f tests/bench/w3_fingerprint.sql
SELECT count(*) || ' rows, md5 ' ||
       md5(string_agg(concat_ws('|', phone, first_name, last_name, email, company, timezone, variables::text),
                      E'\n' ORDER BY phone))
FROM campaign_recipients WHERE campaign_id = :'campaign_id'::uuid;
