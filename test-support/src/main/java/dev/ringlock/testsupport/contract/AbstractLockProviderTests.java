package dev.ringlock.testsupport.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests of a {@link LockProvider} share: the backend's hooks, implemented once per backend, and the
 * clients, keys and checks built on them. {@link AbstractLockContractTests} tests the SPI with them, and
 * {@link AbstractDistributedLockInterceptorTests} the {@code @DistributedLock} interceptor on top of it.
 * <p>
 * Each "client" from {@link #newClient()} stands for a separate process: its own connection factory or
 * Curator client. Subclasses start their server once per class (with a server extension of
 * {@code dev.ringlock.testsupport}) and close the clients made for a test after it, checking with
 * {@link #assertNothingLeftBehind(LockProvider)} that the test's handles left no state behind.
 */
public abstract class AbstractLockProviderTests {

    /** The clients made for the current test, with the loss events each one reported. */
    private final Map<LockProvider, List<LockLostEvent>> clients = Collections.synchronizedMap(new LinkedHashMap<>());

    private String testName = "test";

    private final AtomicInteger keys = new AtomicInteger();

    // ----------------------------------------------------------------- backend hooks

    /** A new client standing for a separate process, reporting lost locks to {@code lossListener}. */
    protected abstract LockProvider createClient(LockLossListener lossListener);

    /** Closes a client made by {@link #createClient}. */
    protected abstract void closeClient(LockProvider client) throws Exception;

    /** Checks that a client whose handles were all closed keeps no waiter, lease or handle state. */
    protected void assertNothingLeftBehind(LockProvider client) {
    }

    /** Whether this backend can lose a held lock (lease or session end); {@link #loseLock} must work if so. */
    protected boolean canLoseLocks() {
        return true;
    }

    /**
     * Makes the server forget, or give away, the lock held through {@code handle} by {@code holderClient},
     * as an expired lease or session would; the holder must find out by itself.
     */
    protected void loseLock(LockHandle handle, LockProvider holderClient) throws Exception {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot lose locks");
    }

    /** The lease of locks acquired through templates here; short on lease-based backends, so the watchdog works. */
    protected Duration leaseTime() {
        return Duration.ofSeconds(30);
    }

    /** How long a lost lock may take to be noticed. */
    protected Duration lossDetectionTimeout() {
        return Duration.ofSeconds(10);
    }

    // ----------------------------------------------------------------- helpers for tests and subclasses

    @BeforeEach
    void rememberTestName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("test");
    }

    @AfterEach
    void closeClients() throws Exception {
        List<LockProvider> made;
        synchronized (clients) {
            made = new ArrayList<>(clients.keySet());
            clients.clear();
        }
        AssertionError leftBehind = null;
        for (LockProvider client : made) {
            try {
                assertNothingLeftBehind(client);
            }
            catch (AssertionError ex) {
                leftBehind = leftBehind == null ? ex : leftBehind;
            }
            finally {
                closeClient(client);
            }
        }
        if (leftBehind != null) {
            throw leftBehind;
        }
    }

    /** A new client (a separate process); its loss events are in {@link #lossEvents(LockProvider)}. */
    protected final LockProvider newClient() {
        List<LockLostEvent> events = new CopyOnWriteArrayList<>();
        LockProvider client = createClient(events::add);
        clients.put(client, events);
        return client;
    }

    /** The loss events reported to the listener of {@code client}. */
    protected final List<LockLostEvent> lossEvents(LockProvider client) {
        List<LockLostEvent> events = clients.get(client);
        assertThat(events).as("loss events of a client made by newClient()").isNotNull();
        return events;
    }

    protected final DefaultLockTemplate template(LockProvider client) {
        return new DefaultLockTemplate(client, leaseTime(), LockLostPolicy.THROW);
    }

    /** A key no other test (or earlier run against the same server) uses. */
    protected final String key(String name) {
        return testName + ":" + name + ":" + keys.incrementAndGet() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Asserts that {@code client} can take the lock on {@code key} at once, and gives it back. */
    protected final long assertFree(LockProvider client, String key) {
        Optional<LockHandle> handle = template(client).tryAcquire(key, Duration.ZERO);
        assertThat(handle).as("lock '%s' should be free", key).isPresent();
        handle.get().close();
        return handle.get().fencingToken();
    }

    /** Asserts that {@code client} cannot take the lock on {@code key} now. */
    protected final void assertHeldElsewhere(LockProvider client, String key) {
        Optional<LockHandle> handle = template(client).tryAcquire(key, Duration.ZERO);
        handle.ifPresent(LockHandle::close);
        assertThat(handle).as("lock '%s' should be held by someone else", key).isEmpty();
    }
}
