-- Releases a lock if the caller still owns it, and wakes waiting clients.
-- KEYS[1] lock key, KEYS[2] waiting flag; ARGV[1] owner id, ARGV[2] release channel
-- Returns 1 when released, 0 when the lock was no longer the caller's.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('del', KEYS[1])
if redis.call('exists', KEYS[2]) == 1 then
    redis.call('publish', ARGV[2], KEYS[1])
end
return 1
