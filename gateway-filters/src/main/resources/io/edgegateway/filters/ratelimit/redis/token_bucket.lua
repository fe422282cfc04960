-- Token bucket: holds at most burst_limit tokens (N without a burst), refilled continuously at N
-- per T; a request takes one token, and a denied request takes none. The resolution does not
-- matter to it: it refills to the microsecond.
--
-- KEYS: one 16-byte string per identity (tokens, time of the last refill in microseconds), kept
-- only until the bucket would be full again.
-- One call decides for every key of KEYS in turn, exactly as that many calls one after another
-- would (a key may come more than once): a batch of decisions, often of one.
-- ARGV and reply: see decide_each.lua (the reset is the milliseconds until a token is free).
local EPSILON = 1e-9

-- Decides for one key at `now_us` (microseconds); returns allowed 0|1, remaining, reset ms, and
-- the millisecond used.
local function decide(key, q, now_us)
  local per_us = q.limit / (q.window_ms * 1000)
  local limit = q.burst_limit
  local tokens, last = limit, now_us
  local raw = redis.call('GET', key)
  if raw then
    tokens, last = struct.unpack('>dd', raw)
    if now_us > last then
      tokens = math.min(limit, tokens + (now_us - last) * per_us)
      last = now_us
    end
  end

  local allowed = tokens >= 1 - EPSILON
  if allowed then
    tokens = math.max(0, tokens - 1)
    local full_in_ms = math.ceil((limit - tokens) / per_us / 1000)
    redis.call('SET', key, struct.pack('>dd', tokens, last), 'PX', math.max(1, full_in_ms))
  end

  local remaining = math.floor(tokens + EPSILON)
  local reset = 0
  if remaining == 0 then
    reset = math.max(1, math.ceil(((1 - tokens) / per_us - (now_us - last)) / 1000 - EPSILON))
  end
  return allowed and 1 or 0, remaining, reset, math.floor(now_us / 1000)
end
