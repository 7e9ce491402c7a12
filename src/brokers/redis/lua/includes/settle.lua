-- Settles: ends workers' holds on messages of one queue and records their outcome. `k` holds the
-- queue's keys (see queue_keys_of in common.lua), ARGV the calling function's arguments: operations
-- start at ARGV[first], `count` of them, and workflow effects follow them up to ARGV[last].
-- ARGV[first..] per settlement, an op, the message id, then the op's fields (record '' = none):
--   'A' complete: record, recordTtlMs. The message is removed.
--   'R' retry:    new envelope, dueAt, priority, record, recordTtlMs.
--   'D' dead:     DLQ entry, failedAt, record, recordTtlMs.
--   'L' release:  priority. Ready again at the front, not counted as a delivery.
-- Then workflow effects (docs/workflows.md), each a tag and its fields:
--   'F' follow-up step: queue, id, envelope, priority, dueAt (0 = now)
--   'J' chord join: chordId, index, size, resultJson, ttlMs, bodyId, bodyQueue, bodyPriority,
--       bodyDueAt, prefix, suffix, envelope (body = prefix .. '[' .. results .. ']' .. suffix, or envelope)
--   'X' chord failure: chordId, ttlMs, bodyId, bodyQueue, entry, failedAt, record, recordTtlMs
--   'C' another result record: id, record, recordTtlMs
--   'Q' another DLQ entry: queue, id, entry, failedAt
-- Returns the number of settlements applied. Wakes a blocked worker for retries and releases.
local function settle_batch(ARGV, k, now, resultPrefix, keyPrefix, count, first, last)
  local all, removed, outcomes = {}, {}, {}
  local earliest = nil

  local i = first
  for _ = 1, count do
    local op, id = ARGV[i], ARGV[i + 1]
    local record, recordTtl = '', nil
    all[#all + 1] = id
    if op == 'A' then
      removed[#removed + 1] = id
      record, recordTtl = ARGV[i + 2], ARGV[i + 3]
      i = i + 4
    elseif op == 'R' then
      local dueAt = tonumber(ARGV[i + 3])
      redis.call('HSET', k.messages, id, ARGV[i + 2])
      if dueAt > now then
        redis.call('ZADD', k.delayed, dueAt, id)
        if not earliest or dueAt < earliest then earliest = dueAt end
      else
        push_ready(k.ready, k.prio, k.seq, id, tonumber(ARGV[i + 4]), false)
        earliest = 0
      end
      record, recordTtl = ARGV[i + 5], ARGV[i + 6]
      i = i + 7
    elseif op == 'D' then
      removed[#removed + 1] = id
      redis.call('ZADD', k.dlq, tonumber(ARGV[i + 3]), id)
      redis.call('HSET', k.dlqEntries, id, ARGV[i + 2])
      record, recordTtl = ARGV[i + 4], ARGV[i + 5]
      i = i + 6
    elseif op == 'L' then
      -- Only a message that still exists goes back (its lease may have expired and another worker
      -- finished it); its count of expired leases is kept, as a release is not an outcome.
      if redis.call('HEXISTS', k.messages, id) == 1 then
        push_ready(k.ready, k.prio, k.seq, id, tonumber(ARGV[i + 2]), true)
        earliest = 0
      end
      i = i + 3
    else
      error('settle: unknown op ' .. tostring(op))
    end
    if op ~= 'L' then outcomes[#outcomes + 1] = id end
    if record ~= '' then redis.call('SET', resultPrefix .. id, record, 'PX', recordTtl) end
  end

  if #all > 0 then
    call_chunked('ZREM', k.leases, all, 2000)
    -- Start marks and redelivery counts are kept only for some messages: one EXISTS looks for both.
    if redis.call('EXISTS', k.started, k.redeliveries) > 0 then
      call_chunked('HDEL', k.started, all, 2000)
      if #outcomes > 0 then call_chunked('HDEL', k.redeliveries, outcomes, 2000) end
    end
  end
  if #removed > 0 then call_chunked('HDEL', k.messages, removed, 2000) end
  if earliest then wake(k.marker, earliest) end

  while i <= last do
    local tag = ARGV[i]
    if tag == 'F' then
      enqueue_into(keyPrefix, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5]), now)
      i = i + 6
    elseif tag == 'J' then
      local chordKey = keyPrefix .. ':chord:' .. ARGV[i + 1]
      local size = tonumber(ARGV[i + 3])
      -- A member redelivered after a crash joins once: HSETNX on its index.
      if redis.call('HSETNX', chordKey, 'r' .. ARGV[i + 2], ARGV[i + 4]) == 1 then
        local done = redis.call('HINCRBY', chordKey, 'done', 1)
        redis.call('PEXPIRE', chordKey, ARGV[i + 5])
        if done == size and redis.call('HEXISTS', chordKey, 'failed') == 0 then
          local payload = ARGV[i + 12]
          if ARGV[i + 10] ~= '' then
            local results = {}
            for first = 0, size - 1, 1000 do
              local fields = {}
              for index = first, math.min(first + 999, size - 1) do fields[#fields + 1] = 'r' .. index end
              for _, value in ipairs(redis.call('HMGET', chordKey, unpack(fields))) do results[#results + 1] = value end
            end
            payload = ARGV[i + 10] .. '[' .. table.concat(results, ',') .. ']' .. ARGV[i + 11]
          end
          enqueue_into(keyPrefix, ARGV[i + 7], ARGV[i + 6], payload, tonumber(ARGV[i + 8]), tonumber(ARGV[i + 9]), now)
          redis.call('HSET', chordKey, 'fired', 1)
        end
      end
      i = i + 13
    elseif tag == 'X' then
      local chordKey = keyPrefix .. ':chord:' .. ARGV[i + 1]
      -- Once only, and never after the body was enqueued (a member that joined, then failed on a redelivery).
      if redis.call('HEXISTS', chordKey, 'fired') == 0 and redis.call('HSETNX', chordKey, 'failed', 1) == 1 then
        redis.call('PEXPIRE', chordKey, ARGV[i + 2])
        local bodyId, bodyQueue = ARGV[i + 3], ARGV[i + 4]
        redis.call('ZADD', queue_key(keyPrefix, bodyQueue, 'dlq'), tonumber(ARGV[i + 6]), bodyId)
        redis.call('HSET', queue_key(keyPrefix, bodyQueue, 'dlq:entries'), bodyId, ARGV[i + 5])
        redis.call('SADD', keyPrefix .. ':queues', bodyQueue)
        if ARGV[i + 7] ~= '' then redis.call('SET', resultPrefix .. bodyId, ARGV[i + 7], 'PX', ARGV[i + 8]) end
      end
      i = i + 9
    elseif tag == 'C' then
      redis.call('SET', resultPrefix .. ARGV[i + 1], ARGV[i + 2], 'PX', ARGV[i + 3])
      i = i + 4
    elseif tag == 'Q' then
      redis.call('ZADD', queue_key(keyPrefix, ARGV[i + 1], 'dlq'), tonumber(ARGV[i + 4]), ARGV[i + 2])
      redis.call('HSET', queue_key(keyPrefix, ARGV[i + 1], 'dlq:entries'), ARGV[i + 2], ARGV[i + 3])
      redis.call('SADD', keyPrefix .. ':queues', ARGV[i + 1])
      i = i + 5
    else
      error('settle: unknown effect tag ' .. tostring(tag))
    end
  end
  return #all
end
