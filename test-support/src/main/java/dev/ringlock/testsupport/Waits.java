package dev.ringlock.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

import org.awaitility.Awaitility;

/**
 * Waiting for servers to form a cluster, sync or fail over.
 */
final class Waits {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Waits() {
    }

    /**
     * Waits up to 30 seconds for {@code condition}, asking again (every 100 ms) when it throws: a server may
     * still be starting or failing over.
     */
    static void until(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }
}
