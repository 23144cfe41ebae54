package dev.ringlock.testsupport;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting for servers to form a cluster, sync or fail over; a wait in vain fails with what the servers printed last.
 */
public final class Waits {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Waits() {
    }

    /**
     * Waits up to 30 seconds for {@code condition}, asking again (every 100 ms) when it throws: a server may
     * still be starting or failing over. In vain, fails with what {@code servers} printed last.
     */
    static void until(String what, Collection<RedisServerProcess> servers, Callable<Boolean> condition) {
        until(what, TIMEOUT, servers, condition);
    }

    /** As {@link #until(String, Collection, Callable)}, for up to {@code timeout}. */
    public static void until(String what, Duration timeout, Collection<RedisServerProcess> servers,
            Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(condition);
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("Waited " + timeout.toSeconds() + " s in vain for " + what
                    + ". What the servers printed last:\n" + RedisServerProcess.recentOutput(servers), ex);
        }
    }
}
