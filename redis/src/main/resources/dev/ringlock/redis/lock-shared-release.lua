-- Releases a READ lock or a permit if the caller still holds it, and wakes waiting clients.
-- KEYS[1] lock key, KEYS[2] waiting flag, KEYS[3] holders, KEYS[4] tokens (see lock-shared-acquire.lua)
-- KEYS[5] the caller's release marker (the lock key, ':released:', owner id)
-- ARGV[1] owner id, ARGV[2] release channel
-- ARGV[3] how long the marker lives, in ms, ARGV[4] the holder's fencing token (both absent for a permit the
-- caller takes back without knowing it had it: nobody waits for that answer)
-- Returns 1 when released, 0 when the caller no longer held it (its lease had ended, or the key was lost).
local function notHeld()
    -- This very request may have run before, and only its answer been lost: the client sends unanswered commands
    -- again after a reconnect, and by then the caller is no holder any more. The marker the first run left says
    -- so; its value is the token, so a marker of an earlier take-back under the same owner id never counts.
    if ARGV[4] and redis.call('get', KEYS[5]) == ARGV[4] then
        return 1
    end
    return 0
end

local function released()
    if ARGV[3] then
        redis.call('set', KEYS[5], ARGV[4], 'px', ARGV[3])
    end
end

local holder = redis.call('get', KEYS[1])
if holder ~= 'read' and not (holder and string.match(holder, '^permits:%d+$')) then
    return notHeld()
end
local now = redis.call('time')
local nowMs = math.floor((tonumber(now[1]) * 1000000 + tonumber(now[2])) / 1000)
local score = redis.call('zscore', KEYS[3], ARGV[1])
redis.call('zrem', KEYS[3], ARGV[1])
redis.call('hdel', KEYS[4], ARGV[1])
if not score or tonumber(score) <= nowMs then
    return notHeld()
end
released()
local latest = redis.call('zrange', KEYS[3], -1, -1, 'withscores')
if #latest == 0 or tonumber(latest[2]) <= nowMs then
    -- the last live holder: the key is free for every kind
    redis.call('del', KEYS[1], KEYS[3], KEYS[4])
    if redis.call('exists', KEYS[2]) == 1 then
        redis.call('publish', ARGV[2], KEYS[1])
    end
    return 1
end
if holder ~= 'read' and redis.call('exists', KEYS[2]) == 1 then
    -- a permit is free: a permit waiter can enter (a reader leaving lets nobody in while other readers stay)
    redis.call('publish', ARGV[2], KEYS[1])
end
local left = tonumber(latest[2]) - nowMs
redis.call('pexpire', KEYS[1], left)
redis.call('pexpire', KEYS[3], left)
redis.call('pexpire', KEYS[4], left)
return 1
