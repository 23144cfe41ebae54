package dev.ringlock.sample;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.jspecify.annotations.Nullable;

/**
 * The demo as {@code GET /demo} reports it.
 *
 * @param state {@code idle} (never run), {@code running}, {@code finished} or {@code failed}
 * @param done attempts finished so far
 * @param total attempts of the run
 * @param orders the orders of the run
 * @param backend the lock backend
 * @param startedAt when the run started
 * @param result the result, once finished
 * @param error what went wrong, once failed
 */
record DemoStatus(String state, int done, int total, List<String> orders, String backend,
        @Nullable Instant startedAt, @Nullable DemoResult result, @Nullable String error) {

    static DemoStatus idle(String backend) {
        return new DemoStatus("idle", 0, 0, List.of(), backend, null, null, null);
    }

    /** The result's summary line, so clients need not compose one. */
    @JsonProperty("summary")
    public @Nullable String summary() {
        return result == null ? null : result.summary();
    }
}
