-- Ends workers' holds on messages of one queue and records their outcome, all in one atomic step
-- (settle_batch, includes/settle.lua).
-- KEYS[1] the queue's messages (hash); its other keys are derived from it (queue_keys_of)
-- ARGV[1] now  ARGV[2] result key prefix  ARGV[3] key prefix  ARGV[4] number of settlements
-- ARGV[5..] the settlements, then workflow effects. Returns the number of settlements applied.
local k = queue_keys_of(KEYS[1])
return settle_batch(ARGV, k, tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4]), 5, #ARGV)
