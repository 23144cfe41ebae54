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
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLostEvent;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.lock.LockProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the tests of a {@link LockProvider} share: the backend's {@link LockProviderFixture}, and the clients,
 * keys and checks built on it. {@link AbstractLockContractTests} tests the SPI with them, and
 * {@link AbstractDistributedLockInterceptorTests} the {@code @DistributedLock} interceptor on top of it;
 * {@link AbstractLockKindsContractTests} and {@link AbstractLockKindsInterceptorTests} do the same for READ, permit
 * and multi-key locks.
 * <p>
 * A backend runs both by implementing {@link LockProviderFixture} once and extending each of the two classes
 * with a {@link #fixture()} that returns it:
 * <pre>{@code
 * class EtcdLockContractTests extends AbstractLockContractTests {
 *
 *     @RegisterExtension
 *     static final EtcdServerExtension etcd = new EtcdServerExtension();
 *
 *     private final EtcdLockFixture fixture = new EtcdLockFixture(etcd);
 *
 *     @Override
 *     protected LockProviderFixture fixture() {
 *         return fixture;
 *     }
 * }
 * }</pre>
 * Each "client" from {@link #newClient()} stands for a separate process: its own connection factory or
 * Curator client. Subclasses start their server once per class (with a server extension of
 * {@code dev.ringlock.testsupport}); a fixture holding connections of its own is made once the server runs,
 * in {@code @BeforeAll} or as a JUnit extension registered after the server's, and closed before the server
 * stops. The clients made for a test are closed after it, once the fixture checked
 * with {@link LockProviderFixture#assertNothingLeftBehind(LockProvider)} that the test's handles left no
 * state behind.
 */
public abstract class AbstractLockProviderTests {

    /** The clients made for the current test, with the loss events each one reported. */
    private final Map<LockProvider, List<LockLostEvent>> clients = Collections.synchronizedMap(new LinkedHashMap<>());

    private String testName = "test";

    private final AtomicInteger keys = new AtomicInteger();

    /**
     * The backend's hooks: the same fixture class for every test class of the backend. Called from tests and
     * from {@code @AfterEach}, so it may return a fixture made in {@code @BeforeAll} (a static field) or one
     * made with each test instance.
     */
    protected abstract LockProviderFixture fixture();

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
                fixture().assertNothingLeftBehind(client);
            }
            catch (AssertionError ex) {
                leftBehind = leftBehind == null ? ex : leftBehind;
            }
            finally {
                fixture().closeClient(client);
            }
        }
        if (leftBehind != null) {
            throw leftBehind;
        }
    }

    /** A new client (a separate process); its loss events are in {@link #lossEvents(LockProvider)}. */
    protected final LockProvider newClient() {
        List<LockLostEvent> events = new CopyOnWriteArrayList<>();
        LockProvider client = fixture().createClient(events::add);
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
        return new DefaultLockTemplate(client, fixture().leaseTime(), LockLostPolicy.THROW);
    }

    /**
     * A class proxy of {@code target} whose {@link dev.ringlock.lock.DistributedLock} methods lock through
     * {@code client}, waiting 5 seconds unless the annotation says otherwise.
     */
    @SuppressWarnings("unchecked")
    protected final <T> T proxy(T target, LockProvider client) {
        DistributedLockInterceptor interceptor = new DistributedLockInterceptor(template(client), Duration.ofSeconds(5), null);
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DistributedLockAdvisor(interceptor));
        return (T) factory.getProxy();
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
