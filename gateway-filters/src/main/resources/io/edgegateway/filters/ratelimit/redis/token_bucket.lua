-- Token bucket: holds at most N tokens, refilled continuously at N per T seconds; a request takes
-- one token, and a denied request takes none.
--
-- KEYS[1]: one 16-byte string per identity (tokens, time of the last refill in microseconds),
-- kept only until the bucket would be full again.
-- ARGV: N, T, and optionally now (whole seconds; Redis's TIME, to the microsecond, when absent).
-- Returns {allowed 0|1, remaining, seconds until a token is free, now in whole seconds}.
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now_us
if ARGV[3] then
  now_us = tonumber(ARGV[3]) * 1000000
else
  local time = redis.call('TIME')
  now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
end

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

local EPSILON = 1e-9
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
return {allowed and 1 or 0, remaining, reset, math.floor(now_us / 1000000)}
