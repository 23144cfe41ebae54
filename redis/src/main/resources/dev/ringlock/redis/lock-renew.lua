-- Extends the lease of a lock the caller still owns.
-- KEYS[1] lock key; ARGV[1] owner id, ARGV[2] lease in ms
-- Returns 1 when extended, 0 when the lock was no longer the caller's.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1
