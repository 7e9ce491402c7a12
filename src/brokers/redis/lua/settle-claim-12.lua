-- Settles a batch of one queue, then claims from it, in one atomic step: a busy worker acks what it
-- finished and fetches more in one round trip (settle_batch and claim_batch, includes/).
-- KEYS[1..9] the queue's ready, prio, delayed, messages, leases, started, redeliveries, marker, seq
-- KEYS[10] revoked (global zset)  KEYS[11] dlq (zset)  KEYS[12] dlq entries (hash)
-- ARGV[1] now  ARGV[2] max  ARGV[3] leaseMs  ARGV[4] maxDeliveries  ARGV[5] result key prefix
-- ARGV[6] key prefix  ARGV[7] number of settlements  ARGV[8..] the settlements, then workflow effects
-- Returns what claim-10 returns.
local k = queue_keys_from(KEYS)
k.revoked, k.dlq, k.dlqEntries = KEYS[10], KEYS[11], KEYS[12]
local now = tonumber(ARGV[1])
settle_batch(ARGV, k, now, ARGV[5], ARGV[6], tonumber(ARGV[7]), 8)
return claim_batch(k, now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
