
-- The driver every limiter script ends with (LimiterScript appends this file to each): it reads
-- the clock once, then applies the script's `decide(key, limit, window, now_us)` to every key in
-- turn, each in pcall so that a key whose decision raises an error fails alone.
local now_us = tonumber(ARGV[1])
if now_us then
  now_us = now_us * 1000000
else
  local time = redis.call('TIME')
  now_us = tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local reply = {}
for i = 1, #KEYS do
  local ok, allowed, remaining, reset, at =
    pcall(decide, KEYS[i], tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]), now_us)
  if not ok then
    -- redis.call raises a reply's error as a table (or a string, by version); Lua's own as a string.
    allowed, remaining, reset, at =
      type(allowed) == 'table' and allowed.err or tostring(allowed), 0, 0, math.floor(now_us / 1000000)
  end
  reply[4 * i - 3], reply[4 * i - 2], reply[4 * i - 1], reply[4 * i] = allowed, remaining, reset, at
end
return reply
