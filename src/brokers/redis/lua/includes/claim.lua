-- Claims: leases up to `max` messages of one queue to a worker. First promotes due delayed
-- messages, then takes back messages whose lease expired (their worker is gone), then pops ready
-- ones, highest priority first. `k` holds the queue's keys (see queue_keys_of in common.lua),
-- `revokedKey` the global set of revoked ids.
-- Returns { nextWakeAt (-1 = none), n, then per message its id and envelope ('' when missing),
--   then only for the exceptions (messages delivered before, or flagged) a triple: position
--   (1-based), deliveries (this one included), flags (1 = envelope missing, 2 = revoked,
--   4 = poisoned) }. Most messages are first deliveries with no flag: they cost two fields.
-- Wakes another worker through the marker when ready messages remain.
-- The lowest score in sorted set `key` (the earliest due time or lease), or nil when it is empty.
local function earliest_score(key)
  return tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
end

-- A busy worker's lease set churns: each claim adds a batch, each settle removes one. Redis keeps a
-- sorted set of up to 128 members as a listpack, where every insert and removal walks the list; a
-- member over 64 bytes turns it into a skiplist, which it stays until emptied. A claim of
-- SKIPLIST_FROM messages or more adds such a member along with its leases and removes it at once
-- (docs/performance-history.md); an idle worker's small claims leave the set a listpack.
local SKIPLIST_FROM = 16
-- Over 64 bytes, and longer than any task id (at most 200 characters): it never names a message.
local SKIPLIST_MEMBER = ('~'):rep(201)

local function claim_batch(k, revokedKey, now, max, leaseMs, maxDeliveries)
  -- An idle queue has nothing delayed, leased or prioritized, and no message was redelivered or
  -- revoked lately: one EXISTS says so, where the reads below would cost a call each (in a function
  -- every call costs more than the command). Otherwise a second one tells the two kinds apart.
  local present = redis.call('EXISTS', k.delayed, k.leases, k.prio, k.redeliveries, revokedKey)
  local scheduled, rare = false, false
  if present > 0 then
    local scheduledKeys = redis.call('EXISTS', k.delayed, k.leases, k.prio)
    scheduled, rare = scheduledKeys > 0, present > scheduledKeys
  end
  -- The earliest delayed message and the earliest lease say whether anything fell due or expired
  -- and, most often, when that will next happen: one command each instead of two.
  local nextDue, nextExpiry = nil, nil
  if scheduled then
    nextDue = earliest_score(k.delayed)
    nextExpiry = earliest_score(k.leases)
  end

  -- Promote due delayed messages (countdown, eta, retry backoff) to ready.
  if nextDue and nextDue <= now then
    local due = redis.call('ZRANGEBYSCORE', k.delayed, '-inf', now, 'LIMIT', 0, 1000)
    redis.call('ZREM', k.delayed, unpack(due))
    local payloads = redis.call('HMGET', k.messages, unpack(due))
    local plain = {}
    for i, id in ipairs(due) do
      local priority = priority_of(payloads[i])
      if priority > 0 then push_ready(k.ready, k.prio, k.seq, id, priority, false) else plain[#plain + 1] = id end
    end
    if #plain > 0 then redis.call('RPUSH', k.ready, unpack(plain)) end
    nextDue = earliest_score(k.delayed)
  end

  -- Take back expired leases first: they have waited longest.
  local claimed, counts, isFresh = {}, {}, {}
  local expired = {}
  if nextExpiry and nextExpiry <= now then
    expired = redis.call('ZRANGEBYSCORE', k.leases, '-inf', now, 'LIMIT', 0, max)
  end
  for _, id in ipairs(expired) do
    claimed[#claimed + 1] = id
    counts[#claimed] = redis.call('HINCRBY', k.redeliveries, id, 1)
  end
  if #expired > 0 then redis.call('HDEL', k.started, unpack(expired)) end

  local want = max - #claimed
  if want > 0 then
    -- Without `scheduled` the priority set was empty, and only a promotion (which needs delayed
    -- messages, so `scheduled`) could have filled it since.
    if scheduled then
      local popped = redis.call('ZPOPMIN', k.prio, want)
      for i = 1, #popped, 2 do
        claimed[#claimed + 1] = popped[i]
        isFresh[#claimed] = true
      end
    end
    want = max - #claimed
    if want > 0 then
      local ids = redis.call('LPOP', k.ready, want)
      if ids then
        for _, id in ipairs(ids) do
          claimed[#claimed + 1] = id
          isFresh[#claimed] = true
        end
      end
    end
  end

  local out = { -1, #claimed }
  if #claimed > 0 then
    -- Formatted once: a number passed to redis.call is formatted anew for every message.
    local deadline = tostring(now + leaseMs)
    local leaseArgs = {}
    for _, id in ipairs(claimed) do
      leaseArgs[#leaseArgs + 1] = deadline
      leaseArgs[#leaseArgs + 1] = id
    end
    local skiplist = #claimed >= SKIPLIST_FROM
    if skiplist then
      leaseArgs[#leaseArgs + 1] = 'inf'
      leaseArgs[#leaseArgs + 1] = SKIPLIST_MEMBER
    end
    redis.call('ZADD', k.leases, unpack(leaseArgs))
    if skiplist then redis.call('ZREM', k.leases, SKIPLIST_MEMBER) end
    local payloads = redis.call('HMGET', k.messages, unpack(claimed))

    -- Redeliveries and revocations are rare (the first EXISTS above looked for both).
    local revoked = {}
    if rare then
      -- Fresh messages may carry expiries from earlier leases (then given back by a stopping worker).
      if redis.call('HLEN', k.redeliveries) > 0 then
        local previous = redis.call('HMGET', k.redeliveries, unpack(claimed))
        for i in ipairs(claimed) do
          if isFresh[i] then counts[i] = tonumber(previous[i]) or 0 end
        end
      end
      if redis.call('ZCARD', revokedKey) > 0 then
        redis.call('ZREMRANGEBYSCORE', revokedKey, '-inf', now)
        revoked = redis.call('ZMSCORE', revokedKey, unpack(claimed))
      end
    end

    local exceptions = {}
    for i, id in ipairs(claimed) do
      local expiredCount = counts[i] or 0
      local flags = 0
      if not payloads[i] then flags = flags + 1 end
      if revoked[i] then flags = flags + 2 end
      if expiredCount >= maxDeliveries then flags = flags + 4 end
      out[#out + 1] = id
      out[#out + 1] = payloads[i] or ''
      if expiredCount > 0 or flags > 0 then
        exceptions[#exceptions + 1] = i
        exceptions[#exceptions + 1] = expiredCount + 1
        exceptions[#exceptions + 1] = flags
      end
    end
    for _, value in ipairs(exceptions) do out[#out + 1] = value end

    if #claimed == max and (redis.call('LLEN', k.ready) > 0 or redis.call('ZCARD', k.prio) > 0) then
      wake(k.marker, 0)
    end
  end

  if #claimed < max then
    -- Re-leasing expired messages moved the earliest lease; otherwise the new leases may be it.
    if #expired > 0 then
      nextExpiry = earliest_score(k.leases)
    elseif #claimed > 0 and not (nextExpiry and nextExpiry < now + leaseMs) then
      nextExpiry = now + leaseMs
    end
    local nextWake = nextDue or -1
    if nextExpiry and (nextWake < 0 or nextExpiry < nextWake) then nextWake = nextExpiry end
    out[1] = nextWake
  end
  return out
end

-- Claims up to `max` messages of several queues, trying them in the order of KEYS[2..] (KEYS[1] is
-- the global set of revoked ids) until `max` are taken. Returns one claim_batch reply per queue
-- tried, in that order; the queues left once `max` messages are taken are not tried.
local function claim_each(KEYS, now, max, leaseMs, maxDeliveries)
  local left, replies = max, {}
  for i = 2, #KEYS do
    if left <= 0 then break end
    local reply = claim_batch(queue_keys_of(KEYS[i]), KEYS[1], now, left, leaseMs, maxDeliveries)
    replies[#replies + 1] = reply
    left = left - reply[2]
  end
  return replies
end
