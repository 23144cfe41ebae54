package dev.ringlock.sample;

import java.time.Instant;

import dev.ringlock.counter.CounterTemplate;
import dev.ringlock.leader.LeaderContext;
import dev.ringlock.leader.LeaderOnly;
import dev.ringlock.leader.Leadership;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The report job: scheduled on every instance, run only by the leader of group {@value #GROUP}. Each run
 * counts itself in a shared counter and keeps the term it ran under, the fencing token a real report would hand
 * to the store it writes.
 */
@Component
class ReportJob {

    static final String GROUP = "reports";

    static final String RUNS = "report-runs";

    private final CounterTemplate counters;

    private volatile @Nullable JobRun lastRun;

    ReportJob(CounterTemplate counters) {
        this.counters = counters;
    }

    @Scheduled(fixedDelayString = "${sample.jobs.report-every:2s}")
    @LeaderOnly(group = GROUP)
    public void run() {
        Leadership leadership = LeaderContext.current().orElseThrow();
        long runs = counters.incrementAndGet(RUNS);
        lastRun = new JobRun(Instant.now(), leadership.term(), runs);
    }

    /** This instance's last run of the report, if it ran one. */
    @Nullable JobRun lastRun() {
        return lastRun;
    }

    /** Runs of the report by every instance. */
    long runs() {
        return counters.get(RUNS);
    }
}
