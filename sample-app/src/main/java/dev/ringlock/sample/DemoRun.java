package dev.ringlock.sample;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The state of one demo run, read by {@code GET /demo} while worker threads update it.
 */
final class DemoRun {

    private final List<String> orders;
    private final int total;
    private final String backend;
    private final Instant startedAt = Instant.now();
    private final AtomicInteger done = new AtomicInteger();
    private volatile @Nullable DemoResult result;
    private volatile @Nullable String error;

    DemoRun(List<String> orders, int total, String backend) {
        this.orders = List.copyOf(orders);
        this.total = total;
        this.backend = backend;
    }

    List<String> orders() {
        return orders;
    }

    int total() {
        return total;
    }

    String backend() {
        return backend;
    }

    boolean isRunning() {
        return result == null && error == null;
    }

    void attemptDone() {
        done.incrementAndGet();
    }

    void finish(DemoResult result) {
        this.result = result;
    }

    void fail(String error) {
        this.error = error;
    }

    DemoStatus status() {
        DemoResult finished = result;
        String failure = error;
        String state = finished != null ? "finished" : failure != null ? "failed" : "running";
        return new DemoStatus(state, done.get(), total, orders, backend, startedAt, finished, failure);
    }
}
