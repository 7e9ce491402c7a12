-- Stores new messages, ready or delayed, honouring idempotency keys.
-- KEYS[1] ready (list)   KEYS[2] prio (zset)   KEYS[3] delayed (zset)
-- KEYS[4] messages (hash) KEYS[5] marker (zset) KEYS[6] seq (string)
-- ARGV[1] now (epoch ms)  ARGV[2] idempotency key prefix
-- ARGV[3..] per message, 6 fields: id, envelope, priority, dueAt (0 = now), idempotencyKey ('' = none), idempotencyTtlMs
-- Returns per message: the id that stands for it, then 1 if it duplicates an earlier submission
-- (same idempotency key, or a task id already waiting in this queue), else 0.
-- Wakes one blocked worker through the marker.
local now = tonumber(ARGV[1])
local idemPrefix = ARGV[2]
local readyIds, out = {}, {}
local earliest = nil

for i = 3, #ARGV, 6 do
  local id, payload, priority, dueAt = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local idemKey = ARGV[i + 4]
  local existing = nil
  if idemKey ~= '' then
    local key = idemPrefix .. idemKey
    if not redis.call('SET', key, id, 'NX', 'PX', ARGV[i + 5]) then existing = redis.call('GET', key) end
  end
  -- A task id already stored in this queue is a duplicate too: never two copies of one message.
  if not existing and redis.call('HSETNX', KEYS[4], id, payload) == 0 then existing = id end
  if existing then
    out[#out + 1] = existing
    out[#out + 1] = 1
  else
    if dueAt > now then
      redis.call('ZADD', KEYS[3], dueAt, id)
      if not earliest or dueAt < earliest then earliest = dueAt end
    elseif priority > 0 then
      push_ready(KEYS[1], KEYS[2], KEYS[6], id, priority, false)
      earliest = 0
    else
      readyIds[#readyIds + 1] = id
      earliest = 0
    end
    out[#out + 1] = id
    out[#out + 1] = 0
  end
end

if #readyIds > 0 then call_chunked('RPUSH', KEYS[1], readyIds, 2000) end
if earliest then wake(KEYS[5], earliest) end
return out
