package dev.ringlock.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report being written: the Markdown so far, the targets the sections measured, and the run's rounds. */
final class Report {

    private final Rounds rounds;
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();

    Report(Rounds rounds) {
        this.rounds = rounds;
    }

    Rounds rounds() {
        return rounds;
    }

    Report append(String text) {
        md.append(text);
        return this;
    }

    Report row(String... cells) {
        md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        return this;
    }

    /** A ratio target: met when the median over the rounds is at least {@code wanted}. */
    void target(String name, Ratio ratio, double wanted) {
        targets.add(new String[] {name, ratio.text(), ratio.missing() ? "no data" : ratio.atLeast(wanted) ? "met" : "MISSED"});
    }

    /** Any other target; {@code met} is null when nothing was measured. */
    void target(String name, String measured, Boolean met) {
        targets.add(new String[] {name, measured, met == null ? "no data" : met ? "met" : "MISSED"});
    }

    void targetsTable() {
        md.append("## Targets\n\n| target | measured (median over the rounds, lowest–highest) | |\n|---|---|---|\n");
        for (String[] t : targets) {
            row(t);
        }
        md.append('\n');
    }

    String text() {
        return md.toString();
    }

    /** Ours over {@code r} in throughput, with the spread over the rounds; empty when ours was not measured. */
    static String ratio(java.util.Optional<Measured> ours, Measured r) {
        return ours.map(o -> o.ratioTo(r).text()).orElse("");
    }

    static String ops(Measured m) {
        return String.format(Locale.ROOT, "%,.0f", m.opsPerSecond());
    }

    static String micros(double nanos) {
        return nanos == 0 || Double.isNaN(nanos) ? "n/a" : String.format(Locale.ROOT, "%,.1f", nanos / 1000);
    }

    static String nanos(double nanos) {
        return Double.isNaN(nanos) ? "n/a" : String.format(Locale.ROOT, "%,.1f", nanos);
    }

    static String millis(double nanos) {
        return Double.isNaN(nanos) ? "n/a" : String.format(Locale.ROOT, "%,.3f", nanos / 1e6);
    }
}
