-- Stores new messages, ready or delayed, honouring idempotency keys.
-- KEYS[1] messages (hash); the queue's other keys are derived from it (queue_base in common.lua).
-- ARGV per message, 3 fields: id, envelope, placement (0-255: ready at that priority; negative:
--   delayed until -placement, epoch ms). A message with an idempotency key is followed by 3 more:
--   '' (never an id), the idempotency key (full Redis key), its lifetime in ms.
-- Returns only the duplicates, as pairs: the message's position (1-based), then the id that stands
-- for it (the first submission with the same idempotency key, or the id already stored here).
-- Wakes one blocked worker through the marker.
local messagesKey = KEYS[1]
local base = queue_base(messagesKey)
local readyIds, duplicates = {}, {}
local earliest = nil
local count, position, i = #ARGV, 0, 1

while i <= count do
  local id, payload, placement = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  position = position + 1
  i = i + 3
  local existing = nil
  if ARGV[i] == '' then
    local key = ARGV[i + 1]
    if not redis.call('SET', key, id, 'NX', 'PX', ARGV[i + 2]) then existing = redis.call('GET', key) end
    i = i + 3
  end
  -- A task id already stored in this queue is a duplicate too: never two copies of one message.
  if not existing and redis.call('HSETNX', messagesKey, id, payload) == 0 then existing = id end
  if existing then
    duplicates[#duplicates + 1] = position
    duplicates[#duplicates + 1] = existing
  elseif placement < 0 then
    redis.call('ZADD', base .. 'delayed', -placement, id)
    if not earliest or -placement < earliest then earliest = -placement end
  elseif placement > 0 then
    push_ready(base .. 'ready', base .. 'prio', base .. 'seq', id, placement, false)
    earliest = 0
  else
    readyIds[#readyIds + 1] = id
    earliest = 0
  end
end

if #readyIds > 0 then call_chunked('RPUSH', base .. 'ready', readyIds, 2000) end
if earliest then wake(base .. 'marker', earliest) end
return duplicates
