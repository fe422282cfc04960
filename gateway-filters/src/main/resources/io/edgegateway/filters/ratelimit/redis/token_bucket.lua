-- Token bucket: holds at most N tokens, refilled continuously at N per T seconds; a request takes
-- one token, and a denied request takes none.
--
-- KEYS: one 16-byte string per identity (tokens, time of the last refill in microseconds), kept
-- only until the bucket would be full again.
-- One call decides for every key of KEYS in turn, exactly as that many calls one after another
-- would (a key may come more than once): a batch of decisions, often of one.
-- ARGV: now (whole seconds; empty for Redis's TIME, to the microsecond, read once per call), then
-- N and T of each key.
-- Returns, for each key in turn, {allowed 0|1, remaining, seconds until a token is free, now in
-- whole seconds} in one flat array; a key whose decision raised an error has the error's message
-- in place of allowed, and the keys after it are still decided.
local EPSILON = 1e-9

-- Decides for one key at `now_us` (microseconds); returns allowed 0|1, remaining, reset, and the
-- second used.
local function decide(key, limit, window, now_us)
  local per_us = limit / (window * 1000000)
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
    reset = math.max(1, math.ceil(((1 - tokens) / per_us - (now_us - last)) / 1000000 - EPSILON))
  end
  return allowed and 1 or 0, remaining, reset, math.floor(now_us / 1000000)
end
