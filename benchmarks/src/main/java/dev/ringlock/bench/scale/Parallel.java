package dev.ringlock.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a blocking call for each index on a few threads, so taking 100,000 locks one round trip at a time is not serial. */
final class Parallel {

    /** Threads: enough to keep a local Redis busy through the round trips, few enough for 2 cores. */
    static final int THREADS = 16;

    interface IndexAction {
        void run(int index) throws Exception;
    }

    private Parallel() {
    }

    static void forEach(int count, IndexAction action) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        action.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        finally {
            threads.shutdownNow();
        }
    }
}
