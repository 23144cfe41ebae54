package dev.ringlock.lock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import dev.ringlock.support.Identifiers;
import org.jspecify.annotations.Nullable;

/**
 * The one check every lock key passes before it reaches a backend, and the one order in which the keys of a lock
 * on several keys are acquired.
 */
public final class LockKeys {

    /** Longer keys are refused: they are almost always a bug (a serialised object as key). */
    public static final int MAX_LENGTH = Identifiers.MAX_LENGTH;

    /** Orders keys by their UTF-8 bytes, unsigned: the one order every instance acquires them in. */
    private static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private LockKeys() {
    }

    /**
     * Returns the key when it is usable.
     * @throws IllegalArgumentException naming the problem when the key is null, blank or too long
     */
    public static String requireValid(@Nullable String key) {
        return Identifiers.requireValid("key", key);
    }

    /**
     * The keys of a lock on several keys as they are acquired: each checked ({@link #requireValid}), each once, in
     * the order of their UTF-8 bytes compared unsigned, so that two callers locking overlapping sets in different
     * orders take the keys they share in the same order and cannot deadlock. Both {@code @DistributedLock} key
     * expressions giving several keys and {@link LockTemplate#tryAcquireAll} go through here.
     * @throws IllegalArgumentException if there is no key, or a key is null, blank, too long or not valid Unicode
     */
    public static List<String> ordered(Collection<String> keys) {
        Objects.requireNonNull(keys, "'keys' must not be null");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("'keys' must not be empty");
        }
        TreeSet<String> ordered = new TreeSet<>(UTF8_ORDER);
        // as Object: a raw or unchecked collection may hold anything
        for (Object key : keys) {
            if (!(key instanceof String text)) {
                throw new IllegalArgumentException("'keys' must hold only non-null String keys, found " + key + " in "
                        + keys);
            }
            ordered.add(requireValid(text));
        }
        return List.copyOf(ordered);
    }
}
