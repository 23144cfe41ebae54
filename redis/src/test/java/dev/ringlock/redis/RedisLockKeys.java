package dev.ringlock.redis;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What a lock key says on the server: a released key stays behind as {@code free:<last token>}
 * ({@code lock-release.lua}), so "released" means "not held", not "gone".
 */
final class RedisLockKeys {

    private RedisLockKeys() {
    }

    /** Whether someone holds the lock at {@code lockKey}: the key exists and is not a released one. */
    static boolean held(StringRedisTemplate admin, String lockKey) {
        String value = admin.opsForValue().get(lockKey);
        return value != null && !value.startsWith("free:");
    }

    /** The token in the exclusive holder's value of {@code lockKey} ({@code <owner id>/<token>}), or of its release. */
    static long token(StringRedisTemplate admin, String lockKey) {
        @Nullable String value = admin.opsForValue().get(lockKey);
        if (value == null) {
            throw new AssertionError("no lock key " + lockKey);
        }
        int at = value.startsWith("free:") ? "free:".length() - 1 : value.lastIndexOf('/');
        return Long.parseLong(value.substring(at + 1));
    }
}
