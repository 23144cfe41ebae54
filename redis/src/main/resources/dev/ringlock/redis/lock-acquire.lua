-- Acquires a lock in one round trip and issues its fencing token; or hands a held lock straight to a waiter.
-- KEYS[1] lock key: '<owner id>/<token>' while held (TTL: the lease); 'free:<token>' once released, the last token
--         issued, kept by the release script for a day; 'read' or 'permits:<N>' while shared (lock-shared-acquire.lua)
-- KEYS[2] waiting flag (present while some client waits, so release knows to publish)
-- KEYS[3] writer-waiting flag (present while a writer waits for readers; keeps new readers out)
-- ARGV[1] owner id, ARGV[2] lease in ms, ARGV[3] how long the caller will wait, in ms (0: it will not)
-- ARGV[4] the longest the writer-waiting flag may live without a new attempt, in ms
-- ARGV[5] (hand-over only) the lock key's value of the holder that hands the lock to ARGV[1], a waiter of its process
-- Returns {1, token} when acquired; {0, remaining lease in ms} when held by another owner (or by readers);
-- {0, -1} for a hand-over whose holder no longer held the lock; {2, N} when the key is a lock with N permits
-- (lock-shared-acquire.lua), which the exclusive lock (one permit) must not share.
local value = redis.call('get', KEYS[1])
local last = 0
if value then
    if string.sub(value, 1, 5) == 'free:' then
        if ARGV[5] then
            return {0, -1}
        end
        last = tonumber(string.sub(value, 6))
    else
        local mine = ARGV[1] .. '/'
        if string.sub(value, 1, #mine) == mine then
            -- This very request ran before and only its answer was lost: the client sends unanswered commands
            -- again after a reconnect. Answer as the first run did, or the caller would wait out its own lease.
            redis.call('pexpire', KEYS[1], ARGV[2])
            return {1, tonumber(string.sub(value, #mine + 1))}
        end
        if ARGV[5] then
            if value ~= ARGV[5] then
                return {0, -1}
            end
            last = tonumber(string.match(value, '/(%d+)$'))
        else
            -- Held. Owner ids are '<uuid>:<n>', so the values of shared locks, 'read' and 'permits:<N>', are no
            -- owner's.
            local permits = string.match(value, '^permits:(%d+)$')
            if permits then
                return {2, tonumber(permits)}
            end
            local wait = tonumber(ARGV[3])
            if wait > 0 then
                if redis.call('pttl', KEYS[2]) < wait then
                    redis.call('set', KEYS[2], '1', 'px', wait)
                end
                if value == 'read' then
                    -- Readers hold it: keep new readers out so that a stream of them cannot starve this writer. The
                    -- flag lives a little longer than the gap between two attempts, so it lapses soon after the
                    -- writer stops.
                    redis.call('set', KEYS[3], '1', 'px', math.min(wait, tonumber(ARGV[4])))
                end
            end
            return {0, redis.call('pttl', KEYS[1])}
        end
    end
elseif ARGV[5] then
    return {0, -1}
end
-- The token is floored by the server clock in microseconds, so it keeps increasing after a restart or a failover
-- that lost the lock key (and the last token with it). The last token + 1 keeps it increasing while the key lives
-- if the clock steps back. TIME is asked on every acquisition: a last token the key still has may be older than
-- tokens a failed master issued and never replicated, and only the clock is above those.
local now = redis.call('time')
local token = now[1] * 1000000 + now[2]
if token <= last then
    token = last + 1
end
redis.call('set', KEYS[1], ARGV[1] .. '/' .. string.format('%.0f', token), 'px', ARGV[2])
return {1, token}
