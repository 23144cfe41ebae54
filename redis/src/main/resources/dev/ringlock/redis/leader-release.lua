-- Gives up a term: deletes the leader key if it still holds the caller's term, and wakes the other candidates.
-- KEYS[1] leader key; ARGV[1] the value the caller set ('<term>:<member id>'), ARGV[2] release channel
-- Returns 1 when released, 0 when the key is gone or holds another term.
if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return 0
end
redis.call('del', KEYS[1])
redis.call('publish', ARGV[2], KEYS[1])
return 1
