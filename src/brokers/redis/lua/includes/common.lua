-- Shared helpers of the function library (scripts.ts puts them first).

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

-- `now` (epoch ms), or Redis's own clock when it is 0: a claim sent ahead of time, behind a
-- blocking wait, cannot know when it will run.
local function now_or_redis_time(now)
  if now ~= 0 then return now end
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
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

-- The key of kind `kind` of queue `queue` (keys.ts builds the same names).
local function queue_key(keyPrefix, queue, kind)
  return keyPrefix .. ':{' .. queue .. '}:' .. kind
end

-- Stores one message in any queue unless its id is already there; used by workflow steps.
local function enqueue_into(keyPrefix, queue, id, payload, priority, dueAt, now)
  if redis.call('HSETNX', queue_key(keyPrefix, queue, 'messages'), id, payload) == 0 then return end
  redis.call('SADD', keyPrefix .. ':queues', queue)
  local marker = queue_key(keyPrefix, queue, 'marker')
  if dueAt > now then
    redis.call('ZADD', queue_key(keyPrefix, queue, 'delayed'), dueAt, id)
    wake(marker, dueAt)
  else
    push_ready(queue_key(keyPrefix, queue, 'ready'), queue_key(keyPrefix, queue, 'prio'),
      queue_key(keyPrefix, queue, 'seq'), id, priority, false)
    wake(marker, 0)
  end
end

-- What the key names of a queue share, given its messages key: they differ only in their last part
-- (keys.ts builds the same names), so they share its hash tag and slot too. Functions take that one
-- key and derive the others, as every argument costs the caller and Redis on each call.
local function queue_base(messagesKey)
  return string.sub(messagesKey, 1, -#'messages' - 1)
end

-- Building a queue's eleven key names costs ~1.6 µs, on every call of claim and settle. The library's
-- Lua state lasts as long as the library, so each queue's names are built once and kept; the cache
-- starts over past a bound, so that a churn of queue names cannot grow it without end.
local KEY_NAMES_KEPT = 1000
local key_names, key_names_count = {}, 0

-- The keys of the queue whose messages hash is `messagesKey`, by name (claim and settle). Shared
-- between calls: never changed by a caller.
local function queue_keys_of(messagesKey)
  local k = key_names[messagesKey]
  if k then return k end
  if key_names_count >= KEY_NAMES_KEPT then key_names, key_names_count = {}, 0 end
  local base = queue_base(messagesKey)
  k = {
    ready = base .. 'ready', prio = base .. 'prio', delayed = base .. 'delayed',
    messages = messagesKey, leases = base .. 'leases', started = base .. 'started',
    redeliveries = base .. 'redeliveries', marker = base .. 'marker', seq = base .. 'seq',
    dlq = base .. 'dlq', dlqEntries = base .. 'dlq:entries',
  }
  key_names[messagesKey] = k
  key_names_count = key_names_count + 1
  return k
end
