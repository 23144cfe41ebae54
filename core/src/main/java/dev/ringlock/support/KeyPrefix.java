package dev.ringlock.support;

import org.jspecify.annotations.Nullable;

/**
 * The one check of the key prefix ({@code ringlock.key-prefix}), the namespace of every Redis key and ZooKeeper
 * node a backend creates. Every backend takes the same prefixes, so an application can move between backends
 * without renaming its namespace.
 * <p>
 * A prefix is refused when it is blank or holds a character that means something to a backend: {@code '{'} or
 * {@code '}'} (a Redis Cluster hash tag, which would move a lock's keys to another slot), {@code '/'} (a
 * ZooKeeper path separator), white space or a control character.
 */
public final class KeyPrefix {

    /** The property that sets the prefix; errors name it. */
    public static final String PROPERTY = "ringlock.key-prefix";

    private KeyPrefix() {
    }

    /**
     * Returns {@code prefix} when every backend can use it.
     * @throws IllegalArgumentException naming {@code ringlock.key-prefix} and the refused value otherwise
     */
    public static String requireValid(@Nullable String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("'" + PROPERTY + "' must not be blank, was "
                    + (prefix == null ? "null" : "'" + prefix + "'"));
        }
        if (prefix.chars().anyMatch(c -> c == '{' || c == '}' || c == '/' || Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            throw new IllegalArgumentException("'" + PROPERTY + "' must not contain '{', '}', '/', white space or "
                    + "control characters, was '" + prefix + "'");
        }
        return prefix;
    }
}
