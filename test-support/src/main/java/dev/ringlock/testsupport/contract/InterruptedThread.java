package dev.ringlock.testsupport.contract;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Closes a lock or a candidacy the way a task cancelled with {@code cancel(true)}, or stopped by an executor's
 * {@code shutdownNow}, does in its {@code finally} block: on a thread whose interrupt flag is set.
 */
final class InterruptedThread {

    private InterruptedThread() {
    }

    /** Closes {@code closeable} on a thread interrupted just before; whether that thread is still interrupted after. */
    static boolean close(AutoCloseable closeable) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                Thread.currentThread().interrupt();
                closeable.close();
                return Thread.interrupted();
            }).get(10, TimeUnit.SECONDS);
        }
        finally {
            thread.shutdownNow();
        }
    }
}
