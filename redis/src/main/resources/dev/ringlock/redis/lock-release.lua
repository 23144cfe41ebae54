-- Releases a lock if the caller still owns it, and wakes waiting clients; or, for a lock acquired with a hold,
-- keeps it until the hold has run.
-- KEYS[1] lock key, KEYS[2] waiting flag, KEYS[3] the caller's release marker (the lock key, ':released:', owner id)
-- ARGV[1] owner id, ARGV[2] release channel
-- ARGV[3] how long the marker lives, in ms, ARGV[4] the lock's fencing token (both absent for a lock the caller
-- takes back without knowing it had it: nobody waits for that answer), ARGV[5] (holds only) the hold in ms
-- Returns 1 when released, 2 when kept for the rest of its hold, 0 when the lock was no longer the caller's.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    -- This very request may have run before, and only its answer been lost: the client sends unanswered commands
    -- again after a reconnect, and by then the key is gone or the next holder's. The marker the first run left
    -- says so; its value is the token, so a marker of an earlier take-back under the same owner id never counts.
    local marker = redis.call('get', KEYS[3])
    if marker and ARGV[4] and string.sub(marker, 3) == ARGV[4] then
        return tonumber(string.sub(marker, 1, 1))
    end
    return 0
end
if ARGV[5] then
    -- The token is at least the server's TIME in microseconds when the lock was acquired (lock-acquire.lua), so
    -- the hold ends no sooner than token + hold by this server's clock; capped at the hold, which a token issued
    -- above the clock (set back since) could otherwise exceed.
    local now = redis.call('time')
    local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
    local hold = tonumber(ARGV[5])
    local left = math.min(hold, math.ceil((tonumber(ARGV[4]) - micros) / 1000) + hold)
    if left > 0 then
        redis.call('pexpire', KEYS[1], string.format('%d', left))
        -- a run resent while the hold lasts finds the key still ours; one resent after it expired, this marker
        redis.call('set', KEYS[3], '2:' .. ARGV[4], 'px', ARGV[3])
        return 2
    end
end
redis.call('del', KEYS[1])
if ARGV[3] then
    redis.call('set', KEYS[3], '1:' .. ARGV[4], 'px', ARGV[3])
end
if redis.call('exists', KEYS[2]) == 1 then
    redis.call('publish', ARGV[2], KEYS[1])
end
return 1
