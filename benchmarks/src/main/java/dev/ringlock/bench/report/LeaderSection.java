package dev.ringlock.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Leader election failover, from the leader harness's files ({@code dev.ringlock.bench.leader}, one
 * {@code leader/<contender>.txt} per round): on each backend, ours against the peers with the same session or
 * lease settings, the time from {@code kill -9} of the leader to the next grant and from a clean yield to the
 * other candidate's grant. Each cell is the median over the rounds of each round's p50; comparisons with a peer
 * are taken round by round, as the throughput ratios are.
 */
final class LeaderSection implements Section {

    private static final List<Backend> BACKENDS = List.of(
            new Backend("ZooKeeper", "ringlock-zk", List.of("curator-latch", "spring-initiator-zk")),
            new Backend("Redis", "ringlock", List.of("spring-initiator", "spring-initiator-pubsub")));

    /** Settings that name the class or repeat the label, left out of the settings column. */
    private static final List<String> NOT_SETTINGS = List.of("contender", "electionClass");

    @Override
    public void write(Report report) {
        Rounds rounds = report.rounds();
        report.append("## Leader election failover (kill -9 and clean yield to the next grant)\n\n");
        report.append("Not JMH: `LeaderFailoverBenchmark` times each trial itself. Kill: the leader runs in a process of "
                + "its own and is killed with SIGKILL at a random point of its renewal cycle; timed from the kill to "
                + "the grant of a candidate already waiting. Yield: two candidates with their own clients; timed from "
                + "the leader's clean yield (Curator's `LeaderLatch` has none: close and start again) to the other's "
                + "grant, at a random point of the new leader's cycle. p50 per round by nearest rank; cells: median "
                + "over the rounds (lowest–highest round). A yield \"not handed over\" is one after which the yielder "
                + "was granted again before the other candidate.\n\n");
        for (Backend backend : BACKENDS) {
            Map<Integer, Map<String, String>> ours = rounds.leader(backend.ours());
            report.append("### ").append(backend.name()).append("\n\n");
            report.append("| contender | kill → grant p50 ms | yield → grant p50 ms | trials, all rounds (kills / yields handed over) "
                    + "| yields not handed over | contender ÷ Ringlock (kill / yield) | settings |\n"
                    + "|---|---:|---:|---:|---:|---:|---|\n");
            for (String contender : backend.contenders()) {
                Map<Integer, Map<String, String>> measured = rounds.leader(contender);
                if (measured.isEmpty()) {
                    continue;
                }
                report.row(Contenders.describe(contender), spread(measured, "kill.p50Ms"), spread(measured, "yield.p50Ms"),
                        total(measured, "kill.trials") + " / " + total(measured, "yield.trials"),
                        total(measured, "yield.notHandedOver"),
                        contender.equals(backend.ours()) ? ""
                                : slower(measured, ours, "kill.p50Ms").text() + " / " + slower(measured, ours, "yield.p50Ms").text(),
                        settings(measured));
            }
            report.append("\nFloors: ").append(floors(ours)).append("\n\n");
        }
        targets(report);
    }

    private static void targets(Report report) {
        Rounds rounds = report.rounds();
        for (Backend backend : BACKENDS) {
            Map<Integer, Map<String, String>> ours = rounds.leader(backend.ours());
            for (String peer : backend.peers()) {
                Map<Integer, Map<String, String>> theirs = rounds.leader(peer);
                for (String what : List.of("kill", "yield")) {
                    Ratio ratio = slower(theirs, ours, what + ".p50Ms");
                    String measured = ratio.missing() ? "n/a" : String.format(Locale.ROOT, "ours %s ms, theirs %s ms: theirs ÷ ours %s",
                            millis(median(ours, what + ".p50Ms")), millis(median(theirs, what + ".p50Ms")), ratio.text());
                    report.target("Leader, " + backend.name() + ", " + (what.equals("kill") ? "kill -9" : "yield")
                            + " → grant p50: ours ≤ " + Contenders.describe(peer), measured,
                            ratio.missing() ? null : ratio.atLeast(1.0));
                }
            }
            double yield = median(ours, "yield.p50Ms");
            double roundTrip = median(ours, "roundTrip.p50Micros");
            double wakeUp = median(ours, "wakeUp.p50Micros");
            double bound = (2 * roundTrip + wakeUp) / 1000;
            boolean measured = !Double.isNaN(yield) && !Double.isNaN(bound);
            double idleRoundTrip = median(ours, "roundTrip.idleP50Micros");
            double idleWakeUp = median(ours, "wakeUp.idleP50Micros");
            double idleChain = median(ours, "yieldChain.idleP50Micros");
            String idle = Double.isNaN(idleRoundTrip) || Double.isNaN(idleWakeUp) ? ""
                    : String.format(Locale.ROOT, "; the same floors after idle pauses as long as the trials': 2 × %s µs + %s µs = %s ms",
                            Report.nanos(idleRoundTrip), Report.nanos(idleWakeUp), millis((2 * idleRoundTrip + idleWakeUp) / 1000))
                    + (Double.isNaN(idleChain) ? ""
                            : String.format(Locale.ROOT, "; plain %s's yield chain after the same pauses %s ms",
                                    first(ours, "yieldChain.client"), millis(idleChain / 1000)));
            // judged against the warm floors, as the target states them; the idle ones are shown beside them
            report.target("Leader, " + backend.name() + ", yield → grant p50 (ours) ≤ 2 round trips + 1 wake-up",
                    measured ? String.format(Locale.ROOT, "%s ms; 2 × %s µs (%s p50) + %s µs = %s ms%s", millis(yield),
                            Report.nanos(roundTrip), first(ours, "roundTrip.what"), Report.nanos(wakeUp), millis(bound), idle) : "n/a",
                    measured ? yield <= bound : null);
        }
    }

    /** The peer's {@code key} over ours, round by round: above 1.00, ours took less time. */
    private static Ratio slower(Map<Integer, Map<String, String>> peer, Map<Integer, Map<String, String>> ours, String key) {
        List<Double> perRound = new ArrayList<>();
        ours.forEach((round, values) -> {
            double o = number(values, key);
            double p = peer.containsKey(round) ? number(peer.get(round), key) : Double.NaN;
            perRound.add(o > 0 ? p / o : Double.NaN);
        });
        return Ratio.of(perRound);
    }

    /** {@code 3,012.34 (2,950.10–3,100.00)}: the median over the rounds, with the lowest and highest round. */
    private static String spread(Map<Integer, Map<String, String>> byRound, String key) {
        double[] values = byRound.values().stream().mapToDouble(v -> number(v, key)).filter(v -> !Double.isNaN(v))
                .sorted().toArray();
        if (values.length == 0) {
            return "n/a";
        }
        String median = millis(Medians.of(values));
        return values.length > 1 ? median + " (" + millis(values[0]) + "–" + millis(values[values.length - 1]) + ")" : median;
    }

    private static double median(Map<Integer, Map<String, String>> byRound, String key) {
        return Medians.of(byRound.values().stream().mapToDouble(v -> number(v, key)).filter(v -> !Double.isNaN(v)).toArray());
    }

    private static String total(Map<Integer, Map<String, String>> byRound, String key) {
        return String.valueOf(byRound.values().stream().mapToDouble(v -> number(v, key)).filter(v -> !Double.isNaN(v))
                .mapToLong(v -> (long) v).sum());
    }

    private static String first(Map<Integer, Map<String, String>> byRound, String key) {
        return byRound.values().stream().findFirst().map(v -> v.getOrDefault(key, "?")).orElse("?");
    }

    /** The settings the harness states for a contender (the same in every round), without the measurements. */
    private static String settings(Map<Integer, Map<String, String>> byRound) {
        Optional<Map<String, String>> any = byRound.values().stream().findFirst();
        return any.map(values -> values.entrySet().stream()
                .filter(e -> !NOT_SETTINGS.contains(e.getKey()) && !isMeasurement(e.getKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))).orElse("");
    }

    private static boolean isMeasurement(String key) {
        return key.startsWith("kill.") || key.startsWith("yield.") || key.startsWith("roundTrip.") || key.startsWith("wakeUp.")
                || key.startsWith("yieldChain.");
    }

    private static String floors(Map<Integer, Map<String, String>> ours) {
        if (ours.isEmpty()) {
            return "not measured (ours has no leader files).";
        }
        String warm = String.format(Locale.ROOT, "one round trip (%s) p50 %s µs, one thread wake-up p50 %s µs",
                first(ours, "roundTrip.what"), Report.nanos(median(ours, "roundTrip.p50Micros")),
                Report.nanos(median(ours, "wakeUp.p50Micros")));
        double idleRoundTrip = median(ours, "roundTrip.idleP50Micros");
        if (Double.isNaN(idleRoundTrip)) {
            return warm + " (medians over the rounds).";
        }
        double chain = median(ours, "yieldChain.idleP50Micros");
        return warm + "; after idle pauses as long as those before the yield trials, round trip p50 "
                + Report.nanos(idleRoundTrip) + " µs, wake-up p50 " + Report.nanos(median(ours, "wakeUp.idleP50Micros"))
                + " µs" + (Double.isNaN(chain) ? "" : "; the least a yield can take on plain "
                + first(ours, "yieldChain.client") + " after the same pauses (" + first(ours, "yieldChain.steps")
                + ") p50 " + Report.nanos(chain) + " µs") + " (medians over the rounds).";
    }

    private static double number(Map<String, String> values, String key) {
        try {
            return Double.parseDouble(values.getOrDefault(key, "NaN"));
        }
        catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }

    private static String millis(double ms) {
        return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%,.2f", ms);
    }

    /** One backend's table: ours, then the peers with the same settings. */
    private record Backend(String name, String ours, List<String> peers) {

        List<String> contenders() {
            List<String> all = new ArrayList<>(List.of(ours));
            all.addAll(peers);
            return all;
        }
    }
}
