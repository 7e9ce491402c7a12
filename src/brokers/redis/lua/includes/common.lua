-- Shared helpers, prepended to every script by scripts.ts.

-- Priorities above 0 live in a sorted set scored so that ZPOPMIN yields the highest priority
-- first and, within one priority, the oldest (a per-queue sequence number breaks ties).
local PRIORITY_STRIDE = 1099511627776 -- 2^40 sequence numbers per priority level

local function priority_of(payload)
  if not payload then return 0 end
  return tonumber(string.match(payload, '"priority":(%d+)')) or 0
end

-- Makes message `id` ready. `front` puts it before its peers (a message given back unstarted).
local function push_ready(readyKey, prioKey, seqKey, id, priority, front)
  if priority > 0 then
    local seq = front and 0 or redis.call('INCR', seqKey)
    redis.call('ZADD', prioKey, (255 - priority) * PRIORITY_STRIDE + seq, id)
  elseif front then
    redis.call('LPUSH', readyKey, id)
  else
    redis.call('RPUSH', readyKey, id)
  end
end

-- Calls `command key ...values` in chunks, staying under Lua's unpack limit.
local function call_chunked(command, key, values, step)
  for i = 1, #values, step do
    redis.call(command, key, unpack(values, i, math.min(i + step - 1, #values)))
  end
end

-- Wakes one blocked worker; `score` is the earliest time worth waking for (ZADD LT keeps the earliest).
local function wake(markerKey, score)
  redis.call('ZADD', markerKey, 'LT', score, 'w')
end
