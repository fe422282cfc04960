-- Exact sliding log: at most N allowed requests in any T-second interval, the window at second
-- `now` being the seconds (now - T, now]; a denied request is not counted.
--
-- KEYS: one string per identity. A 25-byte header (capacity, head index, size, total, head
-- second, tail second, tail count) is followed by a ring of 8-byte records (second, count), one
-- per second that had allowed requests, oldest first. At most min(N, T) records are ever live, so
-- the ring never holds more; it starts small and doubles up to that bound. A decision reads the
-- header, drops the records that left the window from the head (a few per read) and bumps or
-- appends the tail without reading it: amortised O(1), a handful of commands.
-- One call decides for every key of KEYS in turn, exactly as that many calls one after another
-- would (a key may come more than once): a batch of decisions, often of one.
-- ARGV: now (whole seconds; empty for Redis's TIME, read once per call), then N and T of each key.
-- Returns, for each key in turn, {allowed 0|1, remaining, seconds until a counted request leaves
-- the window, now} in one flat array; a key whose decision raised an error has the error's message
-- in place of allowed, and the keys after it are still decided.
local HEADER_FORMAT = '>I3I3I3I4I4I4I4'
local HEADER = 25
local RECORD = 8
local CHUNK = 4

-- Decides for one key at `now_us` (microseconds, of which the whole second counts); returns
-- allowed 0|1, remaining, reset, and the second used.
local function decide(key, limit, window, now_us)
  local now = math.floor(now_us / 1000000)
  local need = math.min(limit, window, 16777215)

  local cap, head, size, total, head_sec, tail_sec, tail_count = 0, 0, 0, 0, 0, 0, 0
  local raw = redis.call('GETRANGE', key, 0, HEADER - 1)
  if #raw == HEADER then
    cap, head, size, total, head_sec, tail_sec, tail_count = struct.unpack(HEADER_FORMAT, raw)
  end
  -- Time never runs backwards for an identity (a failover to a replica with a slower clock).
  if size > 0 and now < tail_sec then
    now = tail_sec
  end

  local oldest_out = now - window
  local changed = size > 0 and head_sec <= oldest_out
  local pruning = changed
  while pruning do
    -- Read the ring a few records at a time from the head: each read record either has left the
    -- window and is dropped, or is the first one still inside it and becomes the new head.
    local count = math.min(CHUNK, cap - head, size)
    local offset = HEADER + head * RECORD
    local chunk = redis.call('GETRANGE', key, offset, offset + count * RECORD - 1)
    for position = 1, count * RECORD, RECORD do
      local second, seen = struct.unpack('>I4I4', chunk, position)
      if second > oldest_out then
        head_sec = second
        pruning = false
        break
      end
      total = total - seen
      head = (head + 1) % cap
      size = size - 1
    end
    if size == 0 then
      pruning = false
    end
  end

  local allowed = total < limit
  if allowed then
    local previous_tail = tail_sec
    if size > 0 and tail_sec == now then
      tail_count = tail_count + 1
    else
      if size == cap then
        -- Grow (or create): lay the live records out from index 0 in a string of the new size.
        local grown = math.max(size + 1, math.min(need, math.max(4, cap * 2)))
        local body = ''
        if size > 0 then
          local ring = redis.call('GETRANGE', key, HEADER, HEADER + cap * RECORD - 1)
          body = string.sub(ring, head * RECORD + 1) .. string.sub(ring, 1, head * RECORD)
        end
        redis.call('SET', key, string.rep('\0', HEADER) .. body .. string.rep('\0', (grown - size) * RECORD), 'KEEPTTL')
        cap, head = grown, 0
      end
      if size == 0 then
        head_sec = now
      end
      size = size + 1
      tail_sec, tail_count = now, 1
    end
    redis.call('SETRANGE', key, HEADER + ((head + size - 1) % cap) * RECORD, struct.pack('>I4I4', now, tail_count))
    total = total + 1
    changed = true
    -- The key must outlive its newest record by T. Setting 2T on the first allowed request of each
    -- T-aligned period covers every later one in that period, so most decisions skip EXPIRE.
    if math.floor(previous_tail / window) ~= math.floor(now / window) then
      redis.call('EXPIRE', key, 2 * window)
    end
  end

  if changed then
    redis.call('SETRANGE', key, 0, struct.pack(HEADER_FORMAT, cap, head, size, total, head_sec, tail_sec, tail_count))
  end

  local remaining = math.max(0, limit - total)
  local reset = 0
  if remaining == 0 and size > 0 then
    reset = head_sec + window - now
  end
  return allowed and 1 or 0, remaining, reset, now
end
