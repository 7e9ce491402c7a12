-- Settles a batch of one queue, then claims from it, in one atomic step: a busy worker acks what it
-- finished and fetches more in one round trip (settle_batch and claim_batch, includes/).
-- KEYS[1] the queue's messages (hash); its other keys are derived from it (queue_keys_of)
-- KEYS[2] revoked (global zset)
-- ARGV[1] now  ARGV[2] max  ARGV[3] leaseMs  ARGV[4] maxDeliveries  ARGV[5] result key prefix
-- ARGV[6] key prefix  ARGV[7] number of settlements  ARGV[8..] the settlements, then workflow effects
-- Returns what claim-2 returns.
local k = queue_keys_of(KEYS[1])
local now = tonumber(ARGV[1])
settle_batch(ARGV, k, now, ARGV[5], ARGV[6], tonumber(ARGV[7]), 8, #ARGV)
return claim_batch(k, KEYS[2], now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
