-- Exact sliding log at the quota's resolution: time is counted in ticks of resolution_ms, the
-- window is W = window_ms / resolution_ms ticks, and at most N requests are allowed among any W
-- consecutive ticks (the window at tick k being ticks k-W+1..k); a denied request is not counted.
-- With a burst: at most burst_limit among any W ticks, and at most burst_windows × N among any
-- span of burst_windows × W ticks (without one, both rules are N per W).
--
-- A span of at most RING_TICKS ticks is kept as a ring of per-tick counts (tick_ring.lua, which
-- LimiterScript puts before this file): fewer commands per decision, and no more bytes than a
-- log of that many records. A longer one is kept as a log:
-- KEYS: one string per identity. A 57-byte header (format 0xFF, capacity, head index, size, span
-- total, inner skip, inner total, head tick, tail tick, tail count, inner tick, base tick) is
-- followed by a ring of 8-byte records (tick - base, count), one per tick that had allowed
-- requests, oldest first; the base moves to the head when an offset would overflow. The
-- span is counted from the head, the last window from the record `inner skip` after it. At most
-- min(span limit, span ticks) records are ever live, so the ring never holds more; it starts small
-- and doubles up to that bound. A decision reads the header, drops the records that left the
-- window from the head (a few per read) and bumps or appends the tail without reading it:
-- amortised O(1), a handful of commands. A key of another format is started afresh.
-- One call decides for every key of KEYS in turn, exactly as that many calls one after another
-- would (a key may come more than once): a batch of decisions, often of one.
local HEADER_FORMAT = '>BI3I3I3I4I3I4ddI4dd'
local HEADER = 57
local FORMAT = 255
local RECORD = 8
local MAX_OFFSET = 4294967295
local CHUNK = 4
local RING_TICKS = 64

-- Walks `available` records from ring index `from`, dropping those at ticks <= cutoff; returns
-- how many were dropped, their requests, and the tick of the first one kept (nil if none).
local function drop_up_to(key, cap, base, from, available, cutoff)
  local dropped, requests = 0, 0
  while dropped < available do
    local index = (from + dropped) % cap
    local count = math.min(CHUNK, cap - index, available - dropped)
    local offset = HEADER + index * RECORD
    local chunk = redis.call('GETRANGE', key, offset, offset + count * RECORD - 1)
    for position = 1, count * RECORD, RECORD do
      local offset_tick, seen = struct.unpack('>I4I4', chunk, position)
      local tick = base + offset_tick
      if tick > cutoff then
        return dropped, requests, tick
      end
      dropped = dropped + 1
      requests = requests + seen
    end
  end
  return dropped, requests, nil
end

-- Decides for one key at `now_us` with a planned quota whose span is kept as a log.
local function decide_log(key, q, now_us)
  local res = q.resolution_ms
  local window = q.window_ticks
  local span = q.span_ticks
  local window_limit = q.burst_limit
  local span_limit = q.span_limit
  local bursting = q.burst_windows > 1
  local tick = math.floor(now_us / (1000 * res))
  local need = math.min(span_limit, span, 16777215)
  local now_ms = math.floor(now_us / 1000)

  local cap, head, size, total, skip, inner, head_tick, tail_tick, tail_count, inner_tick, base =
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  local raw = redis.call('GETRANGE', key, 0, HEADER - 1)
  if #raw == HEADER and string.byte(raw, 1) == FORMAT then
    local _
    _, cap, head, size, total, skip, inner, head_tick, tail_tick, tail_count, inner_tick, base =
      struct.unpack(HEADER_FORMAT, raw)
  end
  -- Time never runs backwards for an identity (a failover to a replica with a slower clock).
  if size > 0 and tick < tail_tick then
    tick, now_ms = tail_tick, tail_tick * res
  end

  local changed = false
  if bursting and inner > 0 and inner_tick <= tick - window then
    local dropped, requests, kept = drop_up_to(key, cap, base, (head + skip) % cap, size - skip, tick - window)
    skip, inner, inner_tick = skip + dropped, inner - requests, kept or 0
    changed = true
  end
  if size > 0 and head_tick <= tick - span then
    local dropped, requests, kept = drop_up_to(key, cap, base, head, size, tick - span)
    head, size, total, head_tick = (head + dropped) % cap, size - dropped, total - requests, kept or 0
    -- Every record out of the span is out of the last window too: already skipped.
    skip = math.max(0, skip - dropped)
    changed = true
  end
  if size == 0 then
    head, skip = 0, 0
  end
  if not bursting then
    skip, inner, inner_tick = 0, total, head_tick
  end

  local free_at = tick
  if total >= span_limit then
    free_at = math.max(free_at, head_tick + span)
  end
  if inner >= window_limit then
    free_at = math.max(free_at, inner_tick + window)
  end
  if free_at > tick then
    if changed then
      redis.call('SETRANGE', key, 0, struct.pack(HEADER_FORMAT, FORMAT, cap, head, size, total, skip, inner,
        head_tick, tail_tick, tail_count, inner_tick, base))
    end
    return 0, 0, free_at * res - now_ms, tick * res
  end

  local previous_tail = size > 0 and tail_tick or -1
  if size > 0 and tail_tick == tick then
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
      head_tick, base = tick, tick
    elseif tick - base > MAX_OFFSET then
      -- Rebase on the head (rare: an identity never idle for 2^32 ticks): rewrite every offset.
      local ring = redis.call('GETRANGE', key, HEADER, HEADER + cap * RECORD - 1)
      local shift = head_tick - base
      for i = 0, size - 1 do
        local at = ((head + i) % cap) * RECORD
        local offset_tick, seen = struct.unpack('>I4I4', ring, at + 1)
        redis.call('SETRANGE', key, HEADER + at, struct.pack('>I4I4', offset_tick - shift, seen))
      end
      base = head_tick
    end
    size = size + 1
    tail_tick, tail_count = tick, 1
  end
  if inner == 0 then
    inner_tick = tick
  end
  redis.call('SETRANGE', key, HEADER + ((head + size - 1) % cap) * RECORD, struct.pack('>I4I4', tick - base, tail_count))
  total, inner = total + 1, inner + 1
  redis.call('SETRANGE', key, 0, struct.pack(HEADER_FORMAT, FORMAT, cap, head, size, total, skip, inner,
    head_tick, tail_tick, tail_count, inner_tick, base))
  -- The key must outlive its newest record by the span. Setting twice the span on the first
  -- allowed request of each span-aligned period covers every later one in that period, so most
  -- decisions skip PEXPIRE.
  if math.floor(previous_tail / span) ~= math.floor(tick / span) then
    redis.call('PEXPIRE', key, 2 * span * res)
  end

  local remaining = math.max(0, math.min(span_limit - total, window_limit - inner))
  local reset = 0
  if remaining == 0 then
    reset = math.max(total >= span_limit and head_tick + span or tick,
      inner >= window_limit and inner_tick + window or tick) * res - now_ms
  end
  return 1, remaining, reset, tick * res
end

-- What the quota means in ticks, and the tick of `now_us`, worked out once per quota spec and
-- call (the driver keeps q for the call).
local function plan(q, now_us)
  q.window_ticks = q.window_ms / q.resolution_ms
  q.span_ticks = q.window_ticks * q.burst_windows
  q.span_limit = q.limit * q.burst_windows
  q.ring = q.span_ticks <= RING_TICKS
  q.tick = math.floor(now_us / (1000 * q.resolution_ms))
  q.now_ms = math.floor(now_us / 1000)
end

-- Decides for one key at `now_us`; returns allowed 0|1, remaining, ms from now until a request
-- frees up (0 while some remain), and the start of the counted tick in ms.
local function decide(key, q, now_us)
  if not q.span_ticks then
    plan(q, now_us)
  end
  if q.ring then
    return decide_ring(key, q)
  end
  return decide_log(key, q, now_us)
end
