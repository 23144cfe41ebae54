package dev.ringlock.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

import org.jspecify.annotations.Nullable;

/**
 * The {@link LockTemplate} over one {@link LockProvider}: locks get the lease this template was created with,
 * or the one asked for through {@link #tryAcquire(String, Duration, Duration)}; a hold asked for through
 * {@link #tryAcquire(String, Duration, Duration, Duration)} or {@link #executeWithLock(String, Duration, Duration,
 * Callable)} goes to the provider with the {@link LockRequest}.
 */
public class DefaultLockTemplate implements LockTemplate {

    private final LockProvider provider;
    private final Duration defaultLeaseTime;
    private final LockLostPolicy lostPolicy;

    /**
     * @param defaultLeaseTime the lease of locks acquired here (property {@code ringlock.lock.lease-time})
     * @param lostPolicy what {@link #executeWithLock} does after an action whose lock was lost
     */
    public DefaultLockTemplate(LockProvider provider, Duration defaultLeaseTime, LockLostPolicy lostPolicy) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.defaultLeaseTime = Objects.requireNonNull(defaultLeaseTime, "defaultLeaseTime");
        this.lostPolicy = Objects.requireNonNull(lostPolicy, "lostPolicy");
    }

    /** The provider this template acquires from. */
    public LockProvider provider() {
        return provider;
    }

    @Override
    public LockHandle acquire(String key, Duration waitTime) {
        return tryAcquire(key, waitTime).orElseThrow(() -> new LockNotAcquiredException(key, waitTime));
    }

    @Override
    public Optional<LockHandle> tryAcquire(String key, Duration waitTime) {
        return tryAcquire(new LockRequest(key, waitTime, defaultLeaseTime));
    }

    @Override
    public Optional<LockHandle> tryAcquire(String key, Duration waitTime, Duration leaseTime) {
        return tryAcquire(new LockRequest(key, waitTime, leaseTime));
    }

    @Override
    public Optional<LockHandle> tryAcquire(String key, Duration waitTime, @Nullable Duration leaseTime,
            Duration holdAtLeast) {
        return tryAcquire(new LockRequest(key, waitTime, leaseTime == null ? defaultLeaseTime : leaseTime, holdAtLeast));
    }

    @Override
    public <T> T executeWithLock(String key, Duration waitTime, Callable<T> action) {
        return executeWithLock(key, waitTime, Duration.ZERO, action);
    }

    @Override
    public <T> T executeWithLock(String key, Duration waitTime, Duration holdAtLeast, Callable<T> action) {
        Objects.requireNonNull(action, "'action' must not be null");
        LockRequest request = new LockRequest(key, waitTime, defaultLeaseTime, holdAtLeast);
        LockedCall.requireNotReadOnly(key);
        Optional<LockHandle> reentered = LockContext.heldInChain(key);
        if (reentered.isPresent()) {
            return call(reentered.get(), action);
        }
        LockHandle handle = tryAcquire(request).orElseThrow(() -> new LockNotAcquiredException(key, waitTime));
        T result;
        try {
            result = call(handle, action);
        }
        catch (RuntimeException | Error ex) {
            handle.close();
            throw ex;
        }
        LockRelease.afterWork(handle, lostPolicy, "on " + provider.backend());
        return result;
    }

    @Override
    public Optional<LockHandle> tryAcquireRead(String key, Duration waitTime) {
        return tryAcquire(new LockRequest(key, waitTime, defaultLeaseTime, Duration.ZERO, LockMode.READ, 1));
    }

    @Override
    public Optional<LockHandle> tryAcquirePermit(String key, int permits, Duration waitTime) {
        return tryAcquire(new LockRequest(key, waitTime, defaultLeaseTime, Duration.ZERO, LockMode.WRITE, permits));
    }

    /**
     * Composed from single-key acquisitions: each key in turn with what is left of the one wait, releasing the
     * keys already taken, the last first, when one is not had in time or the acquisition fails.
     */
    @Override
    public Optional<LockHandle> tryAcquireAll(Collection<String> keys, Duration waitTime) {
        List<String> ordered = LockKeys.ordered(keys);
        Objects.requireNonNull(waitTime, "'waitTime' must not be null");
        long deadline = System.nanoTime() + waitTime.toNanos();
        List<LockHandle> taken = new ArrayList<>(ordered.size());
        boolean complete = false;
        try {
            for (String key : ordered) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                Optional<LockHandle> handle = tryAcquire(new LockRequest(key, left, defaultLeaseTime));
                if (handle.isEmpty()) {
                    return Optional.empty();
                }
                taken.add(handle.get());
            }
            complete = true;
            return Optional.of(new MultiLockHandle(taken));
        }
        finally {
            if (!complete) {
                for (int i = taken.size() - 1; i >= 0; i--) {
                    taken.get(i).close();
                }
            }
        }
    }

    private static <T> T call(LockHandle handle, Callable<T> action) {
        try (LockContext.Scope ignored = LockContext.enter(handle)) {
            return action.call();
        }
        catch (RuntimeException ex) {
            throw ex;
        }
        catch (Exception ex) {
            throw new CompletionException(ex);
        }
    }

    /**
     * Acquires for a request, turning an interrupt into a {@link LockNotAcquiredException} with the
     * thread's interrupt flag restored.
     */
    private Optional<LockHandle> tryAcquire(LockRequest request) {
        try {
            LockProvider.requireSupported(provider, request);
            return provider.tryAcquire(request);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new LockNotAcquiredException(request.key(), request.waitTime(),
                    "Interrupted while waiting for lock '" + request.key() + "'", ex);
        }
    }
}
