-- Leases up to `max` messages of one queue to a worker (claim_batch, includes/claim.lua).
-- KEYS[1] the queue's messages (hash); its other keys are derived from it (queue_keys_of)
-- KEYS[2] revoked (global zset)
-- ARGV[1] now (0: Redis's clock, for a claim sent ahead of time)  ARGV[2] max  ARGV[3] leaseMs
-- ARGV[4] maxDeliveries
local k = queue_keys_of(KEYS[1])
local now = now_or_redis_time(tonumber(ARGV[1]))
return claim_batch(k, KEYS[2], now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
