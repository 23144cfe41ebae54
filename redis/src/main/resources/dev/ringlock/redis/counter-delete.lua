-- Deletes a counter. KEYS[1] counter key. Returns the number of keys deleted (0 or 1).
return redis.call('del', KEYS[1])
