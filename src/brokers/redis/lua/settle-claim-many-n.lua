-- Settles batches of several queues, then claims over them, in one atomic step: a busy worker of
-- several queues acks what it finished and fetches more in one round trip, as settle-claim-2 does
-- for one queue (settle_batch and claim_each, includes/).
-- KEYS[1] revoked (global zset)  KEYS[2..] each queue's messages (hash), in the order to claim from
-- ARGV[1] now  ARGV[2] max  ARGV[3] leaseMs  ARGV[4] maxDeliveries  ARGV[5] result key prefix
-- ARGV[6] key prefix  ARGV[7..] per queue with settlements: the index in KEYS of its messages, the
--   length of its settle tail, then that tail (number of settlements, operations, workflow effects)
-- Returns what claim-many-n returns.
local now = tonumber(ARGV[1])
local i = 7
while i <= #ARGV do
  local keyIndex, length = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local k = queue_keys_of(KEYS[keyIndex])
  settle_batch(ARGV, k, now, ARGV[5], ARGV[6], tonumber(ARGV[i + 2]), i + 3, i + 1 + length)
  i = i + 2 + length
end
return claim_each(KEYS, now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
