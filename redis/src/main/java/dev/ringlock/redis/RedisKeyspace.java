package dev.ringlock.redis;

import dev.ringlock.support.KeyPrefix;

/**
 * Names the Redis keys of one key prefix.
 * <p>
 * The application's key goes inside a hash tag ({@code {…}}) so that all keys of one lock hash to the same
 * Cluster slot. Braces and {@code %} in the application's key are percent-encoded, so a key can neither
 * end the hash tag early (which would split a lock's keys across slots) nor reach outside the prefix.
 */
public final class RedisKeyspace {

    private final String prefix;

    /**
     * @param prefix the namespace of every key ({@code ringlock.key-prefix}), as {@link KeyPrefix} allows
     */
    public RedisKeyspace(String prefix) {
        this.prefix = KeyPrefix.requireValid(prefix);
    }

    public String prefix() {
        return prefix;
    }

    /** The key that holds the lock on {@code key}. */
    String lockKey(String key) {
        return prefix + ":lock:{" + encode(key) + "}";
    }

    /**
     * The key that holds the counter {@code name}: a string with the value in decimal, in a hash tag of its
     * own so that each counter lives on one Cluster slot.
     */
    String counterKey(String name) {
        return prefix + ":counter:{" + encode(name) + "}";
    }

    /**
     * The key that holds who leads {@code group} and in which term ({@code <term>:<member id>}), with the lease as
     * its TTL; in a hash tag of its own, so that it and its {@link #fenceKey fence key} share a Cluster slot.
     */
    String leaderKey(String group) {
        return prefix + ":{leader:" + encode(group) + "}";
    }

    /** The key that remembers the last fencing token of the lock stored at {@code lockKey}. */
    String fenceKey(String lockKey) {
        return lockKey + ":fence";
    }

    /** The flag that tells the release script that some client waits for the lock at {@code lockKey}. */
    String waitingKey(String lockKey) {
        return lockKey + ":waiting";
    }

    /**
     * The sorted set of the READ or permit holders of the lock stored at {@code lockKey}, each owner id scored by
     * the end of its lease in server milliseconds.
     */
    String holdersKey(String lockKey) {
        return lockKey + ":holders";
    }

    /** The hash of each READ or permit holder's fencing token, by owner id, of the lock stored at {@code lockKey}. */
    String tokensKey(String lockKey) {
        return lockKey + ":tokens";
    }

    /**
     * The marker that {@code owner} released the lock stored at {@code lockKey} (its value: the answer and the
     * token), kept as long as the releasing call waits for its answer: a release that the client sends again after
     * a reconnect finds it and answers as the first run did. Owner ids are unique, so each release has its own.
     */
    String releasedKey(String lockKey, String owner) {
        return lockKey + ":released:" + owner;
    }

    /** The flag that keeps new readers out of the lock at {@code lockKey} while a writer waits for its readers. */
    String writerWaitingKey(String lockKey) {
        return lockKey + ":writer-waiting";
    }

    /** The channel on which releases of contended locks are announced. */
    String releaseChannel() {
        return prefix + ":lock-released";
    }

    /** The sorted set of ring members, scored by the server time of their last heartbeat. */
    String ringMembersKey() {
        return prefix + ":ring:members";
    }

    /** The channel on which ring members announce joins, leaves and drops. */
    String ringChangedChannel() {
        return prefix + ":ring:changed";
    }

    static String encode(String key) {
        if (key.indexOf('{') < 0 && key.indexOf('}') < 0 && key.indexOf('%') < 0) {
            return key;
        }
        StringBuilder sb = new StringBuilder(key.length() + 8);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '%' -> sb.append("%25");
                case '{' -> sb.append("%7B");
                case '}' -> sb.append("%7D");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
