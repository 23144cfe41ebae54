package dev.ringlock.sample;

import java.util.Optional;

import dev.ringlock.leader.LeaderElection;
import dev.ringlock.leader.Leadership;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/jobs}: who leads the report group, and the scheduled jobs' last runs.
 */
@RestController
class JobsController {

    private final Leadership reports;
    private final ReportJob reportJob;
    private final DigestJob digestJob;

    JobsController(LeaderElection election, ReportJob reportJob, DigestJob digestJob) {
        // the same candidacy the report job's @LeaderOnly uses: a group is joined once per instance
        this.reports = election.join(ReportJob.GROUP);
        this.reportJob = reportJob;
        this.digestJob = digestJob;
    }

    /**
     * @param group the report job's election group
     * @param self this instance's member id
     * @param leader the member that leads the group, as this instance last saw it; null when it knows of none
     * @param leading whether this instance leads the group now
     * @param term this instance's current or latest term; 0 before its first
     */
    record LeaderView(String group, String self, @Nullable String leader, boolean leading, long term) {
    }

    /**
     * @param runs runs by every instance
     * @param lastRunHere this instance's last run, if any
     */
    record JobView(long runs, @Nullable JobRun lastRunHere) {
    }

    record Jobs(LeaderView leader, JobView report, JobView digest, String digestHoldAtLeast) {
    }

    @GetMapping("/api/jobs")
    Jobs jobs() {
        Optional<String> leader = reports.leader();
        LeaderView view = new LeaderView(reports.group(), reports.memberId(), leader.orElse(null), reports.isLeader(),
                reports.term());
        return new Jobs(view, new JobView(reportJob.runs(), reportJob.lastRun()),
                new JobView(digestJob.runs(), digestJob.lastRun()), DigestJob.HOLD);
    }
}
