-- Moves a DLQ entry back onto its queue as a fresh message, atomically.
-- KEYS[1] dlq (zset)  KEYS[2] dlq entries (hash)  KEYS[3] ready  KEYS[4] prio  KEYS[5] delayed
-- KEYS[6] messages  KEYS[7] marker  KEYS[8] seq  KEYS[9] result key of the task
-- ARGV[1] id  ARGV[2] new envelope  ARGV[3] priority
-- Returns 1 when replayed, 0 when there was no such entry.
local id = ARGV[1]
if redis.call('HDEL', KEYS[2], id) == 0 then return 0 end
redis.call('ZREM', KEYS[1], id)
redis.call('HSET', KEYS[6], id, ARGV[2])
push_ready(KEYS[3], KEYS[4], KEYS[8], id, tonumber(ARGV[3]), false)
redis.call('DEL', KEYS[9])
wake(KEYS[7], 0)
return 1
