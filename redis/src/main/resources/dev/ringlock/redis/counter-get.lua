-- Reads a counter. KEYS[1] counter key. Returns the stored string, or nil when the key does not exist.
return redis.call('get', KEYS[1])
