-- Removes every waiting and delayed message of a queue (running ones are left to finish).
-- KEYS[1] ready  KEYS[2] prio  KEYS[3] delayed  KEYS[4] messages
-- Returns the number of messages removed.
local ids = redis.call('LRANGE', KEYS[1], 0, -1)
for _, key in ipairs({ KEYS[2], KEYS[3] }) do
  for _, id in ipairs(redis.call('ZRANGE', key, 0, -1)) do ids[#ids + 1] = id end
end
if #ids > 0 then call_chunked('HDEL', KEYS[4], ids, 2000) end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return #ids
