-- Acquires a READ lock or a permit of a permit lock in one round trip and issues its fencing token.
-- KEYS[1] lock key: 'read' or 'permits:<N>' while shared holders hold it, with the latest of their lease ends as
--         TTL (so a lock whose holders all died expires by itself); an owner id while the exclusive lock holds it
-- KEYS[2] fence key (last token issued for this lock key, shared with the exclusive lock)
-- KEYS[3] waiting flag (present while some client waits, so release knows to publish)
-- KEYS[4] holders: sorted set of owner ids scored by the end of their lease, in server milliseconds
-- KEYS[5] tokens: hash of owner id to fencing token
-- KEYS[6] writer-waiting flag (set by lock-acquire.lua while a writer waits for readers; its value is the fence key's
--         value then, so it stops counting once anyone has entered since: the writer, most likely)
-- ARGV[1] owner id, ARGV[2] lease in ms, ARGV[3] how long the caller will wait, in ms (0: it will not)
-- ARGV[4] fence key TTL in ms, ARGV[5] the lock key's value for this kind ('read' or 'permits:<N>')
-- ARGV[6] how many holders the key admits (N), 0 for READ (any number of readers)
-- Returns {1, token} when acquired; {0, ms until it is worth trying again} when not; {2, M} when the key is held
-- with another number of permits M (the exclusive and READ locks count as 1).
local now = redis.call('time')
local micros = tonumber(now[1]) * 1000000 + tonumber(now[2])
local nowMs = math.floor(micros / 1000)
local lease = tonumber(ARGV[2])
local holder = redis.call('get', KEYS[1])
local capacity = tonumber(ARGV[6])
local fence = redis.call('get', KEYS[2])

-- A writer found readers in its way and nobody has entered since: a new reader waits for that writer, even at the
-- moment the last reader leaves, so a stream of readers cannot keep the writer out.
local function writerWaits()
    return capacity == 0 and fence and redis.call('get', KEYS[6]) == fence
end

local function keep(ms)
    redis.call('pexpire', KEYS[1], ms)
    redis.call('pexpire', KEYS[4], ms)
    redis.call('pexpire', KEYS[5], ms)
end

local function notNow(retry)
    local wait = tonumber(ARGV[3])
    if wait > 0 and redis.call('pttl', KEYS[3]) < wait then
        redis.call('set', KEYS[3], '1', 'px', wait)
    end
    return {0, retry}
end

if holder == ARGV[5] then
    local score = redis.call('zscore', KEYS[4], ARGV[1])
    if score and tonumber(score) > nowMs then
        -- This very request ran before and only its answer was lost: the client sends unanswered commands
        -- again after a reconnect. Answer as the first run did, or the caller would wait out its own lease.
        redis.call('zadd', KEYS[4], string.format('%.0f', nowMs + lease), ARGV[1])
        if redis.call('pttl', KEYS[1]) < lease then
            keep(lease)
        end
        return {1, tonumber(redis.call('hget', KEYS[5], ARGV[1]))}
    end
    -- A holder whose lease ended (its process died or froze) holds nothing: its permit is free again.
    local dead = redis.call('zrangebyscore', KEYS[4], '-inf', nowMs)
    for _, owner in ipairs(dead) do
        redis.call('hdel', KEYS[5], owner)
    end
    if #dead > 0 then
        redis.call('zremrangebyscore', KEYS[4], '-inf', nowMs)
    end
    if writerWaits() then
        return notNow(redis.call('pttl', KEYS[6]))
    end
    if capacity > 0 and redis.call('zcard', KEYS[4]) >= capacity then
        local first = redis.call('zrange', KEYS[4], 0, 0, 'withscores')
        return notNow(tonumber(first[2]) - nowMs)
    end
elseif holder then
    if holder == 'read' then
        return {2, 1}
    end
    local permits = string.match(holder, '^permits:(%d+)$')
    if permits then
        return {2, tonumber(permits)}
    end
    -- the exclusive lock holds it (one permit): a reader waits for it, a permit lock must not share the key
    if capacity > 0 then
        return {2, 1}
    end
    return notNow(redis.call('pttl', KEYS[1]))
else
    if writerWaits() then
        return notNow(redis.call('pttl', KEYS[6]))
    end
    -- Free: what is left of holders whose lock key was lost (deleted, or a restart) holds nothing.
    redis.call('del', KEYS[4], KEYS[5])
end
-- The same token rule as lock-acquire.lua, from the same fence key: larger than every earlier holder's, of any kind.
local last = tonumber(fence or '0')
local token = math.max(last + 1, micros)
local text = string.format('%.0f', token)
redis.call('set', KEYS[2], text, 'px', ARGV[4])
redis.call('zadd', KEYS[4], string.format('%.0f', nowMs + lease), ARGV[1])
redis.call('hset', KEYS[5], ARGV[1], text)
-- the key lives as long as the latest lease among its holders
local ttl = math.max(redis.call('pttl', KEYS[1]), lease)
redis.call('set', KEYS[1], ARGV[5], 'px', ttl)
redis.call('pexpire', KEYS[4], ttl)
redis.call('pexpire', KEYS[5], ttl)
return {1, token}
