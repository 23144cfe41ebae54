package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load every backend's load test puts on its locks, through any {@link LockTemplate}: many distinct keys
 * held at once, and many waiters queued on one key. What the backend holds meanwhile, and what it must have
 * freed afterwards, each load test checks on its own server.
 */
public final class LockLoad {

    private LockLoad() {
    }

    /**
     * Each template acquires {@code keysPerClient} keys of its own ({@code key-0}, {@code key-1}, …), without
     * waiting, all templates at once on {@code executor}; the handles, once every one is held.
     */
    public static List<LockHandle> holdDistinctKeys(List<? extends LockTemplate> templates, int keysPerClient,
            ExecutorService executor, Duration timeout) throws Exception {
        List<CompletableFuture<List<LockHandle>>> acquiring = new ArrayList<>();
        for (int c = 0; c < templates.size(); c++) {
            LockTemplate template = templates.get(c);
            int first = c * keysPerClient;
            acquiring.add(CompletableFuture.supplyAsync(() -> {
                List<LockHandle> handles = new ArrayList<>();
                for (int k = first; k < first + keysPerClient; k++) {
                    handles.add(template.acquire("key-" + k, Duration.ZERO));
                }
                return handles;
            }, executor));
        }
        List<LockHandle> held = new ArrayList<>();
        for (CompletableFuture<List<LockHandle>> handles : acquiring) {
            held.addAll(handles.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        }
        return held;
    }

    /**
     * Starts {@code waiters} waiters on {@code key}, spread over the templates, each waiting up to {@code wait}
     * and then holding the lock briefly; each future gives the nanoseconds its waiter waited.
     */
    public static List<CompletableFuture<Long>> queueWaiters(List<? extends LockTemplate> templates, String key,
            int waiters, Duration wait, ExecutorService executor) {
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        for (int w = 0; w < waiters; w++) {
            LockTemplate template = templates.get(w % templates.size());
            queued.add(CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try (LockHandle handle = template.acquire(key, wait)) {
                    long waited = System.nanoTime() - start;
                    assertThat(handle.isValid()).isTrue();
                    Thread.sleep(10); // hold time
                    return waited;
                }
                catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
            }, executor));
        }
        return queued;
    }

    /** Each waiter got the lock within its wait time. */
    public static void assertEachGotTheLockInTime(List<CompletableFuture<Long>> waiters, Duration wait)
            throws Exception {
        for (CompletableFuture<Long> waiter : waiters) {
            assertThat(waiter.get(wait.toSeconds() + 10, TimeUnit.SECONDS)).as("nanos waited")
                    .isLessThanOrEqualTo(wait.toNanos());
        }
    }
}
