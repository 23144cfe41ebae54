-- Compare-and-set of a counter; a missing key counts as 0.
-- KEYS[1] counter key; ARGV[1] expected value, ARGV[2] new value (both as Long.toString writes them)
-- Returns 1 when set, 0 when the counter holds another value, -1 when the stored string is not a
-- decimal long (so that a key written by someone else never looks like a plain mismatch).
-- Compared as strings: Lua numbers are doubles and cannot hold every long.
local current = redis.call('get', KEYS[1])
if current == false then
    current = '0'
end
if current == ARGV[1] then
    redis.call('set', KEYS[1], ARGV[2])
    return 1
end
local digits = current
local limit = '9223372036854775807'
if string.sub(current, 1, 1) == '-' then
    digits = string.sub(current, 2)
    limit = '9223372036854775808'
end
if current ~= '0' and (string.match(digits, '^[1-9][0-9]*$') == nil or #digits > 19
        or (#digits == 19 and digits > limit)) then
    return -1
end
return 0
