-- Extends the lease of a READ lock or permit the caller still holds.
-- KEYS[1] lock key, KEYS[2] holders, KEYS[3] tokens (see lock-shared-acquire.lua); ARGV[1] owner id, ARGV[2] lease in ms
-- Returns 1 when extended, 0 when the caller no longer held it (its lease had ended, or the key was lost).
local holder = redis.call('get', KEYS[1])
if holder ~= 'read' and not (holder and string.match(holder, '^permits:%d+$')) then
    return 0
end
local now = redis.call('time')
local nowMs = math.floor((tonumber(now[1]) * 1000000 + tonumber(now[2])) / 1000)
local score = redis.call('zscore', KEYS[2], ARGV[1])
if not score or tonumber(score) <= nowMs then
    -- its lease ended: the permit may be someone else's by now, so it must not come back to life
    redis.call('zrem', KEYS[2], ARGV[1])
    redis.call('hdel', KEYS[3], ARGV[1])
    return 0
end
local lease = tonumber(ARGV[2])
redis.call('zadd', KEYS[2], string.format('%.0f', nowMs + lease), ARGV[1])
if redis.call('pttl', KEYS[1]) < lease then
    redis.call('pexpire', KEYS[1], lease)
    redis.call('pexpire', KEYS[2], lease)
    redis.call('pexpire', KEYS[3], lease)
end
return 1
