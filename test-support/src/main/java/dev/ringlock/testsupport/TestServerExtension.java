package dev.ringlock.testsupport;

import java.util.concurrent.Callable;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server, or a set of servers, for one test class: started before the class's first test (and before its
 * {@code @BeforeAll} methods), the same one for every test of the class and of its {@code @Nested} classes,
 * closed after the class's last test (after its {@code @AfterAll} methods). Register it on a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final TestServerExtension<RedisSentinelServers> sentinels = TestServerExtension.of(RedisSentinelServers::start);
 * }</pre>
 * A static field of an abstract superclass gives each concrete subclass a server of its own, one class after
 * the other; such classes must not run in parallel. Fault tests may stop, kill or restart the server they get
 * from {@link #server()}; it is closed all the same at the end.
 *
 * @param <S> the server type
 */
public class TestServerExtension<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Callable<? extends S> starter;

    private volatile S server;

    /** The unique id of the class whose {@code beforeAll} started {@link #server}. */
    private volatile String startedFor;

    /** An extension whose server {@code starter} starts (once per test class) and returns started. */
    protected TestServerExtension(Callable<? extends S> starter) {
        if (starter == null) {
            throw new IllegalArgumentException("'starter' must not be null");
        }
        this.starter = starter;
    }

    /** An extension whose server {@code starter} starts, e.g. {@code () -> RedisClusterServers.start(3)}. */
    public static <S extends AutoCloseable> TestServerExtension<S> of(Callable<? extends S> starter) {
        return new TestServerExtension<>(starter);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (server != null) {
            // a @Nested class (whose enclosing class registered this extension) shares the enclosing class's server
            return;
        }
        S started = starter.call();
        if (started == null) {
            throw new IllegalStateException("The starter of " + getClass().getSimpleName() + " returned no server");
        }
        startedFor = context.getUniqueId();
        server = started;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (!context.getUniqueId().equals(startedFor)) {
            return;
        }
        S stopping = server;
        server = null;
        startedFor = null;
        stopping.close();
    }

    /** The server of the running test class. */
    public final S server() {
        S current = server;
        if (current == null) {
            throw new IllegalStateException("No server is running: register this " + getClass().getSimpleName()
                    + " on a static field with @RegisterExtension, and ask for its server from a test or a"
                    + " @BeforeAll method (not from a static initialiser)");
        }
        return current;
    }

    /** Whether the server is running now: from before the class's first test until after its last. */
    public final boolean isRunning() {
        return server != null;
    }
}
