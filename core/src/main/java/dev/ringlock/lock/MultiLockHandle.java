package dev.ringlock.lock;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The locks on several keys, held together ({@link LockTemplate#tryAcquireAll}): one handle per key, in the order
 * of the keys' UTF-8 bytes, each key once.
 * <p>
 * {@link #key()} is the keys joined by {@code ","}. {@link #fencingToken()} is the largest of the keys' tokens:
 * each key's token increases strictly, so for the same set of keys the largest does too; a resource guarded by one
 * of the keys takes that key's own token from {@link #handle(String)}. {@link #isValid()} is true while every
 * handle is valid, and {@link #close()} releases all of them.
 */
public final class MultiLockHandle implements LockHandle {

    /** Orders keys by their UTF-8 bytes, unsigned: the one order every instance acquires them in. */
    static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8),
            b.getBytes(StandardCharsets.UTF_8));

    private final List<LockHandle> handles;
    private final String key;
    private final long fencingToken;

    MultiLockHandle(List<LockHandle> handles) {
        this.handles = List.copyOf(handles);
        this.key = String.join(",", this.handles.stream().map(LockHandle::key).toList());
        this.fencingToken = this.handles.stream().mapToLong(LockHandle::fencingToken).max().orElseThrow();
    }

    /**
     * The keys of a multi-key acquisition, checked, each once, in acquisition order.
     * @throws IllegalArgumentException if there is no key, or a key is null or blank
     */
    static List<String> orderedKeys(Collection<?> keys) {
        Objects.requireNonNull(keys, "'keys' must not be null");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("'keys' must not be empty");
        }
        TreeSet<String> ordered = new TreeSet<>(UTF8_ORDER);
        for (Object key : keys) {
            if (!(key instanceof String text)) {
                throw new IllegalArgumentException("'keys' must hold only non-null String keys, found " + key + " in "
                        + keys);
            }
            LockKeys.requireValid(text);
            ordered.add(text);
        }
        return List.copyOf(ordered);
    }

    /** The handles, one per key, in acquisition order. */
    public List<LockHandle> handles() {
        return handles;
    }

    /** The handle of one of the keys. */
    public Optional<LockHandle> handle(String key) {
        return handles.stream().filter(handle -> handle.key().equals(key)).findFirst();
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public long fencingToken() {
        return fencingToken;
    }

    @Override
    public boolean isValid() {
        return handles.stream().allMatch(LockHandle::isValid);
    }

    /** Releases every key, the last acquired first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = handles.size() - 1; i >= 0; i--) {
            try {
                handles.get(i).close();
            }
            catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                }
                else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "MultiLockHandle" + handles;
    }
}
