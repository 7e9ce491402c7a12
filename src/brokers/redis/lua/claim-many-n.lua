-- Leases up to `max` messages of several queues to a worker (claim_each, includes/claim.lua): a
-- worker of several queues claims in one call, and behind its blocking wait, as a worker of one
-- queue does with claim-2.
-- KEYS[1] revoked (global zset)  KEYS[2..] each queue's messages (hash), in the order to try them
-- ARGV[1] now (0: Redis's clock, for a claim sent ahead of time)  ARGV[2] max  ARGV[3] leaseMs
-- ARGV[4] maxDeliveries
-- Returns one claim_batch reply per queue tried, in the order given.
local now = now_or_redis_time(tonumber(ARGV[1]))
return claim_each(KEYS, now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
