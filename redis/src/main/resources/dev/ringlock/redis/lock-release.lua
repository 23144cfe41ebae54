-- Releases a lock if the caller still owns it, and wakes waiting clients; or, for a lock acquired with a hold,
-- keeps it until the hold has run.
-- KEYS[1] lock key, KEYS[2] waiting flag; ARGV[1] owner id, ARGV[2] release channel
-- ARGV[3] (holds only) the lock's fencing token, ARGV[4] (holds only) the hold in ms
-- Returns 1 when released, 2 when kept for the rest of its hold, 0 when the lock was no longer the caller's.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
if ARGV[4] then
    -- The token is at least the server's TIME in microseconds when the lock was acquired (lock-acquire.lua), so
    -- the hold ends no sooner than token + hold by this server's clock; capped at the hold, which a token issued
    -- above the clock (set back since) could otherwise exceed.
    local now = redis.call('time')
    local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
    local hold = tonumber(ARGV[4])
    local left = math.min(hold, math.ceil((tonumber(ARGV[3]) - micros) / 1000) + hold)
    if left > 0 then
        redis.call('pexpire', KEYS[1], string.format('%d', left))
        return 2
    end
end
redis.call('del', KEYS[1])
if redis.call('exists', KEYS[2]) == 1 then
    redis.call('publish', ARGV[2], KEYS[1])
end
return 1
