package dev.ringlock.sample;

import java.time.Instant;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.FailureStrategy;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The digest job: scheduled every second on every instance, run once per {@value #HOLD} across all of them.
 * The first instance to take the lock runs it; the lock then stays held until {@value #HOLD} after it was
 * taken, so the other instances' runs in that time are skipped, however their schedules drift.
 */
@Component
class DigestJob {

    static final String HOLD = "10s";

    static final String RUNS = "digest-runs";

    private final CounterTemplate counters;

    private volatile @Nullable JobRun lastRun;

    DigestJob(CounterTemplate counters) {
        this.counters = counters;
    }

    @Scheduled(fixedRateString = "${sample.jobs.digest-every:1s}")
    @DistributedLock(key = "'digest'", waitTime = "0s", onFailure = FailureStrategy.SKIP, holdAtLeast = HOLD)
    public void run() {
        long token = LockContext.current().orElseThrow().fencingToken();
        long runs = counters.incrementAndGet(RUNS);
        lastRun = new JobRun(Instant.now(), token, runs);
    }

    /** This instance's last run of the digest, if it ran one. */
    @Nullable JobRun lastRun() {
        return lastRun;
    }

    /** Runs of the digest by every instance. */
    long runs() {
        return counters.get(RUNS);
    }
}
