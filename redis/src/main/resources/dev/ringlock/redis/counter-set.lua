-- Sets a counter. KEYS[1] counter key; ARGV[1] the value. Returns 1.
redis.call('set', KEYS[1], ARGV[1])
return 1
