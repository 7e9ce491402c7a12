-- Ends workers' holds on messages and records their outcome, all in one atomic step.
-- KEYS[1] ready  KEYS[2] prio  KEYS[3] delayed  KEYS[4] messages  KEYS[5] leases  KEYS[6] started
-- KEYS[7] redeliveries  KEYS[8] marker  KEYS[9] seq  KEYS[10] dlq (zset)  KEYS[11] dlq entries (hash)
-- ARGV[1] now  ARGV[2] result key prefix
-- ARGV[3..] per settlement, 7 fields: op, id, a, b, c, record ('' = none), recordTtlMs
--   op 'A' complete: the message is removed.
--   op 'R' retry:    a = new envelope, b = dueAt, c = priority.
--   op 'D' dead:     a = DLQ entry, b = failedAt.
--   op 'L' release:  c = priority; ready again at the front, not counted as a delivery.
-- Returns the number of settlements applied. Wakes a blocked worker for retries and releases.
local now, resultPrefix = tonumber(ARGV[1]), ARGV[2]
local all, removed, outcomes = {}, {}, {}
local earliest = nil

for i = 3, #ARGV, 7 do
  local op, id = ARGV[i], ARGV[i + 1]
  all[#all + 1] = id
  if op == 'A' then
    removed[#removed + 1] = id
  elseif op == 'R' then
    local dueAt = tonumber(ARGV[i + 3])
    redis.call('HSET', KEYS[4], id, ARGV[i + 2])
    if dueAt > now then
      redis.call('ZADD', KEYS[3], dueAt, id)
      if not earliest or dueAt < earliest then earliest = dueAt end
    else
      push_ready(KEYS[1], KEYS[2], KEYS[9], id, tonumber(ARGV[i + 4]), false)
      earliest = 0
    end
  elseif op == 'D' then
    removed[#removed + 1] = id
    redis.call('ZADD', KEYS[10], tonumber(ARGV[i + 3]), id)
    redis.call('HSET', KEYS[11], id, ARGV[i + 2])
  elseif op == 'L' then
    -- Only a message that still exists goes back (its lease may have expired and another worker
    -- finished it); its count of expired leases is kept, as a release is not an outcome.
    if redis.call('HEXISTS', KEYS[4], id) == 1 then
      push_ready(KEYS[1], KEYS[2], KEYS[9], id, tonumber(ARGV[i + 4]), true)
      earliest = 0
    end
  end
  if op ~= 'L' then outcomes[#outcomes + 1] = id end
  local record = ARGV[i + 5]
  if record ~= '' then redis.call('SET', resultPrefix .. id, record, 'PX', ARGV[i + 6]) end
end

if #all > 0 then
  call_chunked('ZREM', KEYS[5], all, 2000)
  call_chunked('HDEL', KEYS[6], all, 2000)
  if #outcomes > 0 and redis.call('HLEN', KEYS[7]) > 0 then call_chunked('HDEL', KEYS[7], outcomes, 2000) end
end
if #removed > 0 then call_chunked('HDEL', KEYS[4], removed, 2000) end
if earliest then wake(KEYS[8], earliest) end
return #all
