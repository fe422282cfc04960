-- The sliding log of a short span (see sliding_log.lua, which picks it): instead of records, one
-- count per tick of the span S = W × burst_windows ticks, the count of tick k at slot k mod S,
-- and the totals of the span and of the last window kept beside them, so a decision is one GET
-- and one SETRANGE (and a PEXPIRE once per span): the same exact limits, in a fixed size.
--
-- KEYS: one string per identity. A 24-byte header (format 0xFE, count width in bytes, W, S,
-- resolution in ms, newest tick, span total, window total) is followed by S counts of that width;
-- slot k mod S holds the count of the tick k within the S ticks up to the newest, or 0. The
-- newest tick is the last one a request was allowed in, and the totals are as of then. Counts
-- start one byte wide and widen to 2, then 4, when one would overflow; an identity idle for a
-- whole span starts afresh at one byte. A ring of another W or S is laid out anew keeping the
-- counts still in its span; one of another resolution, or a key of another format, is started
-- afresh.
--
-- Every decision runs this, so it is written for the Lua VM: library functions held in locals,
-- no table or closure per decision, floor by `x - x % 1`, and the rare cases (a wide count, a
-- layout to change, a limit reached) in functions of their own.
local byte, char, sub, rep = string.byte, string.char, string.sub, string.rep
local pack, unpack = struct.pack, struct.unpack
local RING_FORMAT = 254
local RING_HEADER_FORMAT = '>BBBBI4dI4I4'
local RING_HEADER = 24

-- The count at `slot` (0-based) of the ring in `raw`.
local function count_at(raw, width, slot)
  if width == 1 then
    return byte(raw, RING_HEADER + 1 + slot)
  elseif width == 2 then
    return (unpack('>I2', raw, RING_HEADER + 1 + slot * 2))
  end
  return (unpack('>I4', raw, RING_HEADER + 1 + slot * 4))
end

local function pack_count(width, count)
  if width == 1 then
    return char(count)
  elseif width == 2 then
    return pack('>I2', count)
  end
  return pack('>I4', count)
end

local function count_max(width)
  return width == 1 and 255 or width == 2 and 65535 or 4294967295
end

-- The first tick from `from` to `newest` (within the span up to it) with a count: one exists.
local function oldest(raw, width, span, newest, from)
  if from < newest - span + 1 then
    from = newest - span + 1
  end
  for tick = from, newest do
    if count_at(raw, width, tick % span) > 0 then
      return tick
    end
  end
  error('ring totals out of step with its counts')
end

-- The counts of `raw` (a ring of `old_span` slots up to `newest`) laid out in a ring of `span`
-- slots of `width` bytes, with a blank header; and its span and window totals.
local function relayout(raw, old_width, old_span, newest, width, window, span)
  local counts = {}
  for slot = 1, span do
    counts[slot] = 0
  end
  local total, inner = 0, 0
  for tick = newest - math.min(old_span, span) + 1, newest do
    local count = count_at(raw, old_width, tick % old_span)
    counts[tick % span + 1] = count
    total = total + count
    if tick > newest - window then
      inner = inner + count
    end
  end
  for slot = 1, span do
    counts[slot] = pack_count(width, counts[slot])
  end
  return rep('\0', RING_HEADER) .. table.concat(counts), total, inner
end

-- Drops from the window total what left the window between `newest` and `tick` (0 < tick -
-- newest < window), when the window is shorter than the span.
local function window_after(raw, width, window, span, newest, tick, inner)
  for left = newest - window + 1, tick - window do
    inner = inner - count_at(raw, width, left % span)
  end
  return inner
end

-- The tick at which a request frees up with the span and window totals as they are at `tick`
-- in the ring `raw` up to `newest`: `tick` itself while there is room.
local function free_at(q, raw, width, newest, tick, total, inner)
  local span, window, at = q.span_ticks, q.window_ticks, tick
  if total >= q.span_limit then
    at = math.max(at, oldest(raw, width, span, newest, tick - span + 1) + span)
  end
  if inner >= q.burst_limit then
    at = math.max(at, oldest(raw, width, span, newest, tick - window + 1) + window)
  end
  return at
end

-- Decides for one key with the quota planned by sliding_log.lua; returns as `decide`.
local function decide_ring(key, q)
  local span, window = q.span_ticks, q.window_ticks
  local tick, now_ms = q.tick, q.now_ms
  local raw = redis.call('GET', key)
  local width, newest, total, inner, in_place = 1, 0, 0, 0, false
  if raw and #raw >= RING_HEADER then
    local format, stored_width, stored_window, stored_span, res, stored_newest, stored_total, stored_inner =
      unpack(RING_HEADER_FORMAT, raw)
    if format == RING_FORMAT and res == q.resolution_ms and stored_total > 0
        and #raw == RING_HEADER + stored_span * stored_width then
      width, newest, total, inner = stored_width, stored_newest, stored_total, stored_inner
      if stored_window == window and stored_span == span then
        in_place = true
      else
        raw, total, inner = relayout(raw, width, stored_span, newest, width, window, span)
      end
    end
  end

  local elapsed = span
  if total > 0 then
    -- Time never runs backwards for an identity (a failover to a replica with a slower clock).
    if tick < newest then
      tick, now_ms = newest, newest * q.resolution_ms
    end
    elapsed = tick - newest
  end
  -- The ticks after the newest up to now are empty: the counts they displace leave the totals.
  if elapsed >= span then
    total, inner = 0, 0
  elseif elapsed > 0 then
    if width == 1 then
      for passed = newest + 1, tick do
        total = total - byte(raw, RING_HEADER + 1 + passed % span)
      end
    else
      for passed = newest + 1, tick do
        total = total - count_at(raw, width, passed % span)
      end
    end
    if span == window then
      inner = total
    elseif elapsed >= window then
      inner = 0
    else
      inner = window_after(raw, width, window, span, newest, tick, inner)
    end
  end

  local res = q.resolution_ms
  if total >= q.span_limit or inner >= q.burst_limit then
    local at = free_at(q, raw, width, newest, tick, total, inner)
    if at > tick then
      return 0, 0, at * res - now_ms, tick * res
    end
  end

  -- The new ring from `first` (the slot after the newest tick's) round to this tick's slot: the
  -- slots between are zeroed, this one counts the request. Written in place, only the slots up
  -- to this one need writing when they do not wrap round.
  local slot = tick % span
  local count = 1
  if elapsed == 0 then
    count = count_at(raw, width, slot) + 1
    if count > count_max(width) then
      width = width * 2
      raw = relayout(raw, width / 2, span, newest, width, window, span)
      in_place = false
    end
  end
  total, inner = total + 1, inner + 1
  local header = pack(RING_HEADER_FORMAT, RING_FORMAT, width, window, span, res, tick, total, inner)
  local first = elapsed == 0 and slot or (newest + 1) % span
  local value
  if elapsed < span and first <= slot then
    value = header .. sub(raw, RING_HEADER + 1, RING_HEADER + first * width) .. rep('\0', (slot - first) * width)
      .. pack_count(width, count)
    if not in_place then
      value = value .. sub(raw, RING_HEADER + 1 + (slot + 1) * width)
    end
  elseif elapsed < span then
    value = header .. rep('\0', slot * width) .. pack_count(width, count)
      .. sub(raw, RING_HEADER + 1 + (slot + 1) * width, RING_HEADER + first * width) .. rep('\0', (span - first) * width)
  else
    value = header .. rep('\0', slot * width) .. pack_count(width, count) .. rep('\0', (span - slot - 1) * width)
  end
  if in_place then
    redis.call('SETRANGE', key, 0, value)
    -- The key must outlive its newest count by the span. Setting twice the span on the first
    -- allowed request of each span-aligned period covers every later one in that period.
    if elapsed >= span or newest - newest % span ~= tick - tick % span then
      redis.call('PEXPIRE', key, 2 * span * res)
    end
  else
    redis.call('SET', key, value, 'PX', 2 * span * res)
  end

  local remaining = q.span_limit - total
  if q.burst_limit - inner < remaining then
    remaining = q.burst_limit - inner
  end
  if remaining > 0 then
    return 1, remaining, 0, tick * res
  end
  if in_place then
    -- The ring as written: what was not rewritten is as it was.
    value = value .. sub(raw, #value + 1)
  end
  return 1, 0, free_at(q, value, width, tick, tick, total, inner) * res - now_ms, tick * res
end
