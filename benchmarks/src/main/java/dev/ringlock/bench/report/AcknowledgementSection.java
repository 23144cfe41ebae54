package dev.ringlock.bench.report;

import java.util.List;
import java.util.Optional;

/**
 * Locks a replica must confirm, on the Sentinel set-up (master and 1 replica): ours against Redisson's
 * {@code checkLockSyncedSlaves}, and against ours without acknowledgement on the same servers, which is what the
 * acknowledgement costs ({@code dev.ringlock.bench.ack}).
 */
final class AcknowledgementSection implements Section {

    static final String BENCHMARK = "dev.ringlock.bench.ack.AcknowledgementBenchmark.";
    private static final List<String> METHODS = List.of("uncontended1", "uncontended8");
    private static final String OURS = "ringlock-ack";
    private static final String PEER = "redisson-synced";
    private static final String UNACKNOWLEDGED = "ringlock-no-ack";

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## Replica acknowledgement (Sentinel: master + 1 replica + 3 Sentinels; every thread its own key)\n\n");
        report.append("Acquire then release at once. `ringlock-ack` waits for 1 replica (`WAIT 1 1000`) after each "
                + "acquisition; `redisson-synced` waits for the master's available replicas after each lock and each "
                + "unlock; `ringlock-no-ack` waits for none, on the same servers.\n\n");
        report.append("| threads | contender | ops/s | p50 µs | p99 µs | " + OURS + " ÷ contender |\n"
                + "|---:|---|---:|---:|---:|---:|\n");
        for (String method : METHODS) {
            Optional<Measured> ours = rounds.find(BENCHMARK + method, OURS);
            for (Measured m : rounds.select(BENCHMARK + method)) {
                report.row(String.valueOf(m.threads()), Contenders.describe(m.param("impl")), Report.ops(m),
                        Report.micros(m.p50Nanos()), Report.micros(m.p99Nanos()), Report.ratio(ours, m));
            }
        }
        report.append("\nThe price of acknowledgement (" + OURS + " ÷ " + UNACKNOWLEDGED + ", no target): ");
        for (String method : METHODS) {
            report.append(threads(method) + " thread(s) " + rounds.ratio(BENCHMARK + method, OURS, UNACKNOWLEDGED).text()
                    + (method.equals(METHODS.get(METHODS.size() - 1)) ? ".\n\n" : "; "));
        }
        for (String method : METHODS) {
            report.target("Replica acknowledgement (Sentinel, 1 replica), uncontended, " + threads(method)
                    + " thread(s): ≥ 1.0× " + Contenders.describe(PEER), rounds.ratio(BENCHMARK + method, OURS, PEER), 1.0);
        }
    }

    private static String threads(String method) {
        return method.substring("uncontended".length());
    }
}
