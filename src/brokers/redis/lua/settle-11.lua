-- Ends workers' holds on messages of one queue and records their outcome, all in one atomic step
-- (settle_batch, includes/settle.lua).
-- KEYS[1..9] the queue's ready, prio, delayed, messages, leases, started, redeliveries, marker, seq
-- KEYS[10] dlq (zset)  KEYS[11] dlq entries (hash)
-- ARGV[1] now  ARGV[2] result key prefix  ARGV[3] key prefix  ARGV[4] number of settlements
-- ARGV[5..] the settlements, then workflow effects. Returns the number of settlements applied.
local k = queue_keys_from(KEYS)
k.dlq, k.dlqEntries = KEYS[10], KEYS[11]
return settle_batch(ARGV, k, tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4]), 5)
