-- Heartbeats this instance's ring members, drops members silent for too long, and lists the live ones.
-- KEYS[1] the members' sorted set (member: id, score: the server time of its last heartbeat, in ms)
-- ARGV[1] member timeout in ms, ARGV[2] the channel that announces membership changes,
-- ARGV[3..] the members this instance heartbeats (none when it only watches)
-- Returns the live member ids.
local now = redis.call('time')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local timeout = tonumber(ARGV[1])
local joined = 0
for i = 3, #ARGV do
    joined = joined + redis.call('zadd', KEYS[1], millis, ARGV[i])
end
local dropped = redis.call('zremrangebyscore', KEYS[1], '-inf', '(' .. string.format('%.0f', millis - timeout))
if #ARGV > 2 then
    -- a ring whose members all died disappears on its own
    redis.call('pexpire', KEYS[1], timeout * 10)
end
if joined > 0 or dropped > 0 then
    redis.call('publish', ARGV[2], 'changed')
end
return redis.call('zrange', KEYS[1], 0, -1)
