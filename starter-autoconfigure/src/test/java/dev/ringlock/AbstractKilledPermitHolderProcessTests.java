package dev.ringlock;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A permit holder in another JVM ({@link FrozenHolderMain}) killed with {@code kill -9}, per backend: it holds one
 * of 2 permits, this JVM the other, and a third acquirer in this JVM waits. Nothing of the dead process runs any
 * more, so nobody releases its permit: the server must free it when its lease (Redis) or session (ZooKeeper) ends,
 * and not before. What the backend's server records of the dead holder is read from outside, directly on the
 * server: its entry is still there right after the kill and the key is still full; the waiter gets in only once
 * the lease or session has ended; this JVM's own permit stays valid throughout.
 * @param <D> what the backend's server records of the dead holder's permit, as the backend's test reads it
 */
@Tag("fault")
public abstract class AbstractKilledPermitHolderProcessTests<D> {

    protected static final String PREFIX = "ringlock-killed";
    protected static final int PERMITS = 2;

    /** The exit status of a process that SIGKILL ended: 128 + 9. */
    private static final int KILLED = 137;

    private static ExecutorService waiters;

    /** {@link FrozenHolderMain}'s arguments for {@code key}, with a short lease or session and no fenced resource. */
    protected abstract String[] holderArguments(String key);

    /** The lock template of this JVM. */
    protected abstract LockTemplate here();

    /** How long the waiter may wait: the dead holder's lease or session, and room for a loaded machine. */
    protected abstract Duration waiterWait();

    /**
     * Reads from the server the record of the permit whose fencing token is {@code token}, held by the process
     * just killed, and asserts that it is still there.
     */
    protected abstract D assertStillRecorded(String key, long token) throws Exception;

    /**
     * Waits for {@code waiter} to get in, showing from the server's records that it did so only after
     * {@code dead}'s lease or session had ended; returns its handle.
     */
    protected abstract LockHandle assertEntersOnlyAfterTheEnd(String key, D dead,
            CompletableFuture<LockHandle> waiter) throws Exception;

    @BeforeAll
    static void startWaiters() {
        waiters = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopWaiters() {
        if (waiters != null) {
            waiters.shutdownNow();
        }
    }

    @Test
    void killedHoldersPermitIsFreedWhenItsLeaseOrSessionEndsAndNotBefore() throws Exception {
        String key = "killed-" + UUID.randomUUID();
        LockTemplate here = here();
        try (FrozenHolderProcess holder = FrozenHolderProcess.start(holderArguments(key))) {
            long deadToken = holder.acquire("acquire permit " + PERMITS);
            try (LockHandle ours = here.tryAcquirePermit(key, PERMITS, Duration.ZERO).orElseThrow(
                    () -> new AssertionError("the second of " + PERMITS + " permits of '" + key + "' was not free"))) {
                CompletableFuture<LockHandle> waiter = CompletableFuture.supplyAsync(
                        () -> here.tryAcquirePermit(key, PERMITS, waiterWait()).orElseThrow(
                                () -> new AssertionError("no permit of '" + key + "' was freed within " + waiterWait())),
                        waiters);

                assertThat(holder.kill()).as("exit status of the killed holder").isEqualTo(KILLED);
                D dead = assertStillRecorded(key, deadToken);
                assertThat(here.tryAcquirePermit(key, PERMITS, Duration.ZERO))
                        .as("a permit of '%s' right after its holder was killed", key).isEmpty();
                assertThat(waiter).as("the third acquirer right after the kill").isNotDone();
                assertThat(ours.isValid()).isTrue();

                try (LockHandle third = assertEntersOnlyAfterTheEnd(key, dead, waiter)) {
                    assertThat(third.fencingToken()).isGreaterThan(deadToken).isGreaterThan(ours.fencingToken());
                    assertThat(third.isValid()).isTrue();
                    assertThat(ours.isValid()).as("this JVM's own permit, once the dead one was freed").isTrue();
                }
            }
        }
    }

    /** The waiter's handle, once it got in. */
    protected static LockHandle entered(CompletableFuture<LockHandle> waiter, Duration within) throws Exception {
        return waiter.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }
}
