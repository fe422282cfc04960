-- The driver every limiter script ends with (LimiterScript appends this file to each): it reads
-- the clock once, then applies the script's `decide(key, q, now_us)` to every key in turn, each in
-- pcall so that a key whose decision raises an error fails alone. A quota spec is parsed once per
-- call however many keys share it (the same table q, in which a script may note what it works out
-- from it).
--
-- ARGV: now in milliseconds (empty for Redis's TIME), then for each key its quota spec
-- `N:window_ms:resolution_ms:burst_limit:burst_windows:block_ms`, or a single spec for every key.
-- Replies, per key: allowed 0|1 (2: denied because blocked), remaining, milliseconds until a
-- request frees up, now in ms.
--
-- block-for lives here, the same for every algorithm: with block_ms > 0, an identity denied while
-- its previous denial is less than one window old is blocked for block_ms from then, recorded in
-- `<key>:block` (same hash tag, so the same shard and slot) as (last denial ms, blocked until ms);
-- while blocked, every request is denied without deciding, and does not count as a denial.
local now_ms = tonumber(ARGV[1])
local now_us
if now_ms then
  now_us = now_ms * 1000
else
  local time = redis.call('TIME')
  now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
  now_ms = math.floor(now_us / 1000)
end

-- The quotas of this call by spec (a key's error if its spec is not one).
local quotas = {}

local function quota(spec)
  local limit, window_ms, resolution_ms, burst_limit, burst_windows, block_ms =
    string.match(spec, '^(%d+):(%d+):(%d+):(%d+):(%d+):(%d+)$')
  if not limit then
    error('bad quota spec ' .. tostring(spec))
  end
  local q = { limit = tonumber(limit), window_ms = tonumber(window_ms), resolution_ms = tonumber(resolution_ms),
    burst_limit = tonumber(burst_limit), burst_windows = tonumber(burst_windows), block_ms = tonumber(block_ms) }
  quotas[spec] = q
  return q
end

local function decide_blocking(key, q, now_us)
  local block_key = key .. ':block'
  local last_denied, blocked_until = nil, 0
  local raw = redis.call('GET', block_key)
  if raw and #raw == 16 then
    last_denied, blocked_until = struct.unpack('>dd', raw)
  end
  if now_ms < blocked_until then
    return 2, 0, blocked_until - now_ms, now_ms
  end
  local allowed, remaining, reset, at = decide(key, q, now_us)
  if allowed == 0 then
    blocked_until = 0
    if last_denied and now_ms - last_denied < q.window_ms then
      blocked_until = now_ms + q.block_ms
      allowed, reset = 2, q.block_ms
    end
    redis.call('SET', block_key, struct.pack('>dd', now_ms, blocked_until),
      'PX', math.max(q.window_ms, blocked_until - now_ms))
  end
  return allowed, remaining, reset, at
end

-- A key whose spec is not yet in `quotas`: parses it first.
local function decide_new_quota(key, spec)
  local q = quota(spec)
  return (q.block_ms == 0 and decide or decide_blocking)(key, q, now_us)
end

local shared_spec = #ARGV == 2 and ARGV[2]
local reply = {}
for i = 1, #KEYS do
  local spec = shared_spec or ARGV[i + 1]
  local q = quotas[spec]
  local ok, allowed, remaining, reset, at
  if q then
    ok, allowed, remaining, reset, at = pcall(q.block_ms == 0 and decide or decide_blocking, KEYS[i], q, now_us)
  else
    ok, allowed, remaining, reset, at = pcall(decide_new_quota, KEYS[i], spec)
  end
  if not ok then
    -- redis.call raises a reply's error as a table (or a string, by version); Lua's own as a string.
    allowed, remaining, reset, at =
      type(allowed) == 'table' and allowed.err or tostring(allowed), 0, 0, now_ms
  end
  reply[4 * i - 3], reply[4 * i - 2], reply[4 * i - 1], reply[4 * i] = allowed, remaining, reset, at
end
return reply
