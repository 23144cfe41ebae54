-- Takes a group's leader key if nobody holds it, issuing the new term as lock-acquire.lua issues a fencing token.
-- KEYS[1] leader key (value: '<term>:<member id>', with the lease as TTL)
-- KEYS[2] fence key (last term issued for this group)
-- ARGV[1] member id, ARGV[2] lease in ms, ARGV[3] fence key TTL in ms
-- Returns '1' .. value when taken, otherwise '0' .. the holder's lease left in ms (PTTL) .. ' ' .. its value, so
-- that a follower can try again when that lease ends rather than at its next poll.
local holder = redis.call('get', KEYS[1])
if holder then
    return '0' .. redis.call('pttl', KEYS[1]) .. ' ' .. holder
end
-- Floored by the server clock in microseconds, so terms keep increasing after a restart that lost the fence key;
-- last + 1 keeps them increasing if the clock steps back while the fence key lives.
local now = redis.call('time')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('get', KEYS[2]) or '0')
local term = string.format('%.0f', math.max(last + 1, floor))
local value = term .. ':' .. ARGV[1]
redis.call('set', KEYS[1], value, 'px', ARGV[2])
redis.call('set', KEYS[2], term, 'px', ARGV[3])
return '1' .. value
