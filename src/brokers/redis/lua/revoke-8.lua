-- Revokes a task. A message not yet running is removed at once and its REVOKED record written;
-- a running one stays (its worker is told over the control channel and records the outcome).
-- KEYS[1] ready  KEYS[2] prio  KEYS[3] delayed  KEYS[4] messages  KEYS[5] leases
-- KEYS[6] revoked (global zset)  KEYS[7] result key of the task  KEYS[8] redeliveries
-- ARGV[1] id  ARGV[2] remember revocation until (epoch ms)  ARGV[3] REVOKED record ('' = none)  ARGV[4] record ttl ms
-- ARGV[5] control channel  ARGV[6] control message
-- Returns 1 when the task is running (leased), else 0.
local id = ARGV[1]
redis.call('ZADD', KEYS[6], tonumber(ARGV[2]), id)
redis.call('PUBLISH', ARGV[5], ARGV[6])
if redis.call('ZSCORE', KEYS[5], id) then return 1 end
redis.call('ZREM', KEYS[3], id)
redis.call('ZREM', KEYS[2], id)
redis.call('LREM', KEYS[1], 0, id)
redis.call('HDEL', KEYS[4], id)
redis.call('HDEL', KEYS[8], id)
if ARGV[3] ~= '' then redis.call('SET', KEYS[7], ARGV[3], 'PX', ARGV[4]) end
return 0
