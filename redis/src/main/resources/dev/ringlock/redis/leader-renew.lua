-- Extends the lease of a leader key that still holds the caller's term.
-- KEYS[1] leader key; ARGV[1] the value the caller set ('<term>:<member id>'), ARGV[2] lease in ms
-- Returns 1 when extended, 0 when the key is gone or holds another term.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('pexpire', KEYS[1], ARGV[2])
return 1
