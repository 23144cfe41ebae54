package dev.ringlock.lock;

import java.util.List;
import java.util.Optional;

/**
 * The locks on several keys, held together ({@link LockTemplate#tryAcquireAll}): one handle per key, in the order
 * of the keys' UTF-8 bytes, each key once ({@link LockKeys#ordered}).
 * <p>
 * {@link #key()} is the keys joined by {@code ","}. {@link #fencingToken()} is the largest of the keys' tokens:
 * each key's token increases strictly, so for the same set of keys the largest does too; a resource guarded by one
 * of the keys takes that key's own token from {@link #handle(String)}. {@link #isValid()} is true while every
 * handle is valid, and {@link #close()} releases all of them.
 */
public final class MultiLockHandle implements LockHandle {

    private final List<LockHandle> handles;
    private final String key;
    private final long fencingToken;

    MultiLockHandle(List<LockHandle> handles) {
        this.handles = List.copyOf(handles);
        this.key = String.join(",", this.handles.stream().map(LockHandle::key).toList());
        this.fencingToken = this.handles.stream().mapToLong(LockHandle::fencingToken).max().orElseThrow();
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
