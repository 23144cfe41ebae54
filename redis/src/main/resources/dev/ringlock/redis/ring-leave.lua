-- Removes a ring member at once and tells the others.
-- KEYS[1] the members' sorted set; ARGV[1] the channel that announces membership changes; ARGV[2] the member
if redis.call('zrem', KEYS[1], ARGV[2]) == 1 then
    redis.call('publish', ARGV[1], 'changed')
    return 1
end
return 0
