-- Leases up to `max` messages to a worker: first promotes due delayed messages, then takes back
-- messages whose lease expired (their worker is gone), then pops ready ones, highest priority first.
-- KEYS[1] ready  KEYS[2] prio  KEYS[3] delayed  KEYS[4] messages  KEYS[5] leases
-- KEYS[6] started  KEYS[7] redeliveries  KEYS[8] marker  KEYS[9] seq  KEYS[10] revoked (global zset)
-- ARGV[1] now  ARGV[2] max  ARGV[3] leaseMs  ARGV[4] maxDeliveries
-- Returns { nextWakeAt (-1 = none), then per message 4 fields: id, envelope ('' when missing),
--   deliveries (this one included), flags (1 = envelope missing, 2 = revoked, 4 = poisoned) }.
-- Wakes another worker through the marker when ready messages remain.
local now, max, leaseMs = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local maxDeliveries = tonumber(ARGV[4])

-- Promote due delayed messages (countdown, eta, retry backoff) to ready.
local due = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 1000)
if #due > 0 then
  redis.call('ZREM', KEYS[3], unpack(due))
  local payloads = redis.call('HMGET', KEYS[4], unpack(due))
  local plain = {}
  for i, id in ipairs(due) do
    local priority = priority_of(payloads[i])
    if priority > 0 then push_ready(KEYS[1], KEYS[2], KEYS[9], id, priority, false) else plain[#plain + 1] = id end
  end
  if #plain > 0 then redis.call('RPUSH', KEYS[1], unpack(plain)) end
end

-- Take back expired leases first: they have waited longest.
local claimed, counts, isFresh = {}, {}, {}
local expired = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, max)
for _, id in ipairs(expired) do
  claimed[#claimed + 1] = id
  counts[#claimed] = redis.call('HINCRBY', KEYS[7], id, 1)
end
if #expired > 0 then redis.call('HDEL', KEYS[6], unpack(expired)) end

local want = max - #claimed
if want > 0 then
  local popped = redis.call('ZPOPMIN', KEYS[2], want)
  for i = 1, #popped, 2 do
    claimed[#claimed + 1] = popped[i]
    isFresh[#claimed] = true
  end
  want = max - #claimed
  if want > 0 then
    local ids = redis.call('LPOP', KEYS[1], want)
    if ids then
      for _, id in ipairs(ids) do
        claimed[#claimed + 1] = id
        isFresh[#claimed] = true
      end
    end
  end
end

local out = { -1 }
if #claimed > 0 then
  local deadline = now + leaseMs
  local leaseArgs = {}
  for _, id in ipairs(claimed) do
    leaseArgs[#leaseArgs + 1] = deadline
    leaseArgs[#leaseArgs + 1] = id
  end
  redis.call('ZADD', KEYS[5], unpack(leaseArgs))
  local payloads = redis.call('HMGET', KEYS[4], unpack(claimed))

  -- Fresh messages may carry expiries from earlier leases (then given back by a stopping worker).
  if redis.call('HLEN', KEYS[7]) > 0 then
    local previous = redis.call('HMGET', KEYS[7], unpack(claimed))
    for i in ipairs(claimed) do
      if isFresh[i] then counts[i] = tonumber(previous[i]) or 0 end
    end
  end

  local revoked = {}
  if redis.call('ZCARD', KEYS[10]) > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[10], '-inf', now)
    revoked = redis.call('ZMSCORE', KEYS[10], unpack(claimed))
  end

  for i, id in ipairs(claimed) do
    local expiredCount = counts[i] or 0
    local flags = 0
    if not payloads[i] then flags = flags + 1 end
    if revoked[i] then flags = flags + 2 end
    if expiredCount >= maxDeliveries then flags = flags + 4 end
    out[#out + 1] = id
    out[#out + 1] = payloads[i] or ''
    out[#out + 1] = expiredCount + 1
    out[#out + 1] = flags
  end

  if #claimed == max and (redis.call('LLEN', KEYS[1]) > 0 or redis.call('ZCARD', KEYS[2]) > 0) then
    wake(KEYS[8], 0)
  end
end

if #claimed < max then
  local nextDue = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')[2]
  local nextExpiry = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')[2]
  local nextWake = tonumber(nextDue) or -1
  if nextExpiry and (nextWake < 0 or tonumber(nextExpiry) < nextWake) then nextWake = tonumber(nextExpiry) end
  out[1] = nextWake
end
return out
