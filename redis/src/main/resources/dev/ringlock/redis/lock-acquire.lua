-- Acquires a lock in one round trip and issues its fencing token; or hands a held lock straight to a waiter.
-- KEYS[1] lock key (value: owner id, with the lease as TTL)
-- KEYS[2] fence key (last token issued for this lock key)
-- KEYS[3] waiting flag (present while some client waits, so release knows to publish)
-- KEYS[4] writer-waiting flag (present while a writer waits for readers; keeps new readers out until anyone enters)
-- ARGV[1] owner id, ARGV[2] lease in ms, ARGV[3] how long the caller will wait, in ms (0: it will not)
-- ARGV[4] fence key TTL in ms, ARGV[5] the longest the writer-waiting flag may live without a new attempt, in ms
-- ARGV[6] (hand-over only) the owner id of the holder that hands the lock to ARGV[1], a waiter of its process
-- Returns {1, token} when acquired; {0, remaining lease in ms} when held by another owner (or by readers);
-- {0, -1} for a hand-over whose holder no longer held the lock; {2, N} when the key is a lock with N permits
-- (lock-shared-acquire.lua), which the exclusive lock (one permit) must not share.
local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then
    -- This very request ran before and only its answer was lost: the client sends unanswered commands
    -- again after a reconnect. Answer as the first run did, or the caller would wait out its own lease.
    redis.call('pexpire', KEYS[1], ARGV[2])
    return {1, tonumber(redis.call('get', KEYS[2]))}
end
if ARGV[6] then
    if holder ~= ARGV[6] then
        return {0, -1}
    end
elseif holder then
    -- Held. Owner ids are '<uuid>:<n>', so the values of shared locks, 'read' and 'permits:<N>', are no owner's.
    local permits = string.match(holder, '^permits:(%d+)$')
    if permits then
        return {2, tonumber(permits)}
    end
    local wait = tonumber(ARGV[3])
    if wait > 0 then
        if redis.call('pttl', KEYS[3]) < wait then
            redis.call('set', KEYS[3], '1', 'px', wait)
        end
        if holder == 'read' then
            -- Readers hold it: keep new readers out so that a stream of them cannot starve this writer. The flag
            -- lives a little longer than the gap between two attempts, so it lapses soon after the writer stops;
            -- its value, the last token issued, makes it void as soon as anyone enters (lock-shared-acquire.lua).
            redis.call('set', KEYS[4], redis.call('get', KEYS[2]) or '0', 'px', math.min(wait, tonumber(ARGV[5])))
        end
    end
    return {0, redis.call('pttl', KEYS[1])}
end
-- The token is floored by the server clock in microseconds, so it keeps increasing after a restart that
-- lost the fence key; last + 1 keeps it increasing if the clock steps back while the fence key lives.
local now = redis.call('time')
local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
local last = tonumber(redis.call('get', KEYS[2]) or '0')
local token = math.max(last + 1, floor)
local text = string.format('%.0f', token)
redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2])
redis.call('set', KEYS[2], text, 'px', ARGV[4])
return {1, token}
