-- Approximate sliding window: two fixed T-second windows, the previous one weighted by how much
-- of it the sliding window (now - T, now] still covers. A denied request is not counted.
--
-- KEYS[1]: one 12-byte string per identity (current window index, its count, previous count).
-- ARGV: N, T, and optionally now (whole seconds; Redis's TIME when absent).
-- Returns {allowed 0|1, remaining, seconds until a request frees up, now}.
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  now = tonumber(redis.call('TIME')[1])
end

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
-- The seconds of the previous window still inside (now - T, now].
local function estimate(prev, cur, el)
  return prev * (window - 1 - el) / window + cur
end

local EPSILON = 1e-9
local allowed = estimate(previous, current, elapsed) + 1 <= limit + EPSILON
if allowed then
  current = current + 1
  redis.call('SET', key, struct.pack('>I4I4I4', index, current, previous), 'EX', 2 * window - elapsed)
end

local remaining = math.max(0, math.floor(limit - estimate(previous, current, elapsed) + EPSILON))
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
return {allowed and 1 or 0, remaining, reset, now}
