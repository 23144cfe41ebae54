-- Extends the leases of several locks the caller still owns in one call: a sweep of the watchdog (lock-renew.lua
-- for each key, in a loop). On a Cluster, all keys are in one slot.
-- KEYS[i] lock key; ARGV[2i-1] its owner id, ARGV[2i] its lease in ms
-- Returns one number per key, in order: 1 when extended, 0 when that lock was no longer the caller's.
local renewed = {}
for i, key in ipairs(KEYS) do
    if redis.call('get', key) == ARGV[2 * i - 1] then
        redis.call('pexpire', key, ARGV[2 * i])
        renewed[i] = 1
    else
        renewed[i] = 0
    end
end
return renewed
