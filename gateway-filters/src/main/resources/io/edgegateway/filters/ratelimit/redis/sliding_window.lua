-- Approximate sliding window: two fixed T-second windows, the previous one weighted by how much
-- of it the sliding window (now - T, now] still covers. A denied request is not counted.
--
-- KEYS: one 12-byte string per identity (current window index, its count, previous count).
-- One call decides for every key of KEYS in turn, exactly as that many calls one after another
-- would (a key may come more than once): a batch of decisions, often of one.
-- ARGV and reply: see decide_each.lua. It counts whole seconds whatever the resolution, and has
-- no burst (the configuration refuses one with this algorithm).
local EPSILON = 1e-9

-- The seconds of the previous window still inside (now - T, now].
local function estimate(window, prev, cur, el)
  return prev * (window - 1 - el) / window + cur
end

-- Decides for one key at `now_us` (microseconds, of which the whole second counts); returns
-- allowed 0|1, remaining, reset ms, and the second used, in ms.
local function decide(key, q, now_us)
  local limit, window = q.limit, q.window_ms / 1000
  local now = math.floor(now_us / 1000000)
  local index = math.floor(now / window)
  local current, previous = 0, 0
  local raw = redis.call('GET', key)
  if raw then
    local stored_index, stored_current, stored_previous = struct.unpack('>I4I4I4', raw)
    if stored_index == index then
      current, previous = stored_current, stored_previous
    elseif stored_index == index - 1 then
      previous = stored_current
    elseif stored_index > index then
      -- Time never runs backwards for an identity (a failover to a replica with a slower clock).
      index, now = stored_index, stored_index * window
      current, previous = stored_current, stored_previous
    end
  end

  local elapsed = now - index * window
  local allowed = estimate(window, previous, current, elapsed) + 1 <= limit + EPSILON
  if allowed then
    current = current + 1
    redis.call('SET', key, struct.pack('>I4I4I4', index, current, previous), 'EX', 2 * window - elapsed)
  end

  local remaining = math.max(0, math.floor(limit - estimate(window, previous, current, elapsed) + EPSILON))
  local reset = 0
  if remaining == 0 then
    -- The first second at which one more request fits, if none comes meanwhile.
    local room = limit - 1 - current
    if room >= 0 and previous > 0 and window - 1 - elapsed - room * window / previous < window - elapsed then
      reset = math.max(1, math.ceil(window - 1 - elapsed - room * window / previous - EPSILON))
    else
      local into_next = 0
      if current > 0 then
        into_next = math.max(0, math.ceil(window - 1 - (limit - 1) * window / current - EPSILON))
      end
      reset = window - elapsed + into_next
    end
  end
  return allowed and 1 or 0, remaining, reset * 1000, now * 1000
end
