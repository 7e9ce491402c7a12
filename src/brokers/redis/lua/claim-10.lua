-- Leases up to `max` messages of one queue to a worker (claim_batch, includes/claim.lua).
-- KEYS[1..9] the queue's ready, prio, delayed, messages, leases, started, redeliveries, marker, seq
-- KEYS[10] revoked (global zset)
-- ARGV[1] now  ARGV[2] max  ARGV[3] leaseMs  ARGV[4] maxDeliveries
local k = queue_keys_from(KEYS)
k.revoked = KEYS[10]
return claim_batch(k, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
