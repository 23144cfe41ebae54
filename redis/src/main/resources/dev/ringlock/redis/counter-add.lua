-- Adds to a counter; a missing key counts as 0. Redis refuses an addition that leaves the range of a long.
-- KEYS[1] counter key; ARGV[1] the delta. Returns the new value as Redis stores it, a decimal string: INCRBY's
-- own integer reply would reach Lua as a double, which cannot hold every long.
redis.call('incrby', KEYS[1], ARGV[1])
return redis.call('get', KEYS[1])
