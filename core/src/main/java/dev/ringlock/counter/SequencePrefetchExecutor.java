package dev.ringlock.counter;

import dev.ringlock.support.ContextBoundExecutor;
import dev.ringlock.support.RinglockScheduler;

import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs sequences' background block reservations: at most two threads, started only when a sequence
 * prefetches and ended after 30 idle seconds. A reservation that finds both busy is refused, and that
 * sequence reserves its next block itself when it needs it. Not the shared {@link RinglockScheduler}:
 * a reservation waits for its answer, which would hold up lease renewals.
 */
public final class SequencePrefetchExecutor extends ContextBoundExecutor {

    public SequencePrefetchExecutor() {
        super(new ThreadPoolExecutor(0, 2, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("ringlock-sequence-prefetch")));
    }
}
