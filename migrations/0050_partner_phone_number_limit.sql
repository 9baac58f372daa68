-- Partners created before 0041 copied their plan's resource_limits without max_phone_numbers, so nothing capped their
-- workspaces' numbers: each gets its plan's default now, as a partner created since does. A partner (or workspace)
-- that set its own limit keeps it.
UPDATE partners p
   SET resource_limits = p.resource_limits || jsonb_build_object('max_phone_numbers',
                                                                 s.resource_limits -> 'max_phone_numbers')
  FROM subscription_plans s
 WHERE s.tier = p.plan_tier
   AND NOT p.resource_limits ? 'max_phone_numbers'
   AND s.resource_limits ? 'max_phone_numbers';
