-- One gateway's heartbeat, and the count of live gateways: KEYS[1] is a sorted set of gateway ids
-- scored by the time of their last heartbeat (Redis's clock, in milliseconds, so the gateways'
-- clocks never matter). ARGV[1] is this gateway's id, ARGV[2] how long a heartbeat counts (ms).
-- Ids not heard from within that time are dropped, and the set itself expires with its last one.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return redis.call('ZCARD', KEYS[1])
