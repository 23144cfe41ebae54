package dev.ringlock.bench.report;

import java.io.IOException;

/**
 * One part of {@code RESULTS.md}: a benchmark group's tables, and the targets of the benchmarks issue that it
 * measures. {@link ResultsReport} writes the sections in order, then one table of every section's targets.
 */
interface Section {

    void write(Report report) throws IOException;
}
