package dev.ringlock.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;

/**
 * Hand-over latency of a contended lock: the time from the moment a holder starts its release to the moment
 * the next holder's acquire returns, counted only when that next holder was already waiting when the release
 * started (otherwise the gap is idle time, not hand-over).
 * <p>
 * The holder stamps the key's slot just before it releases; the next holder, once inside, reads the stamp.
 * Mutual exclusion orders these, so each stamp is read by the holder that follows it. Samples stay in
 * per-thread arrays (no contention of the recorder's own) and are written once, at the end of the trial, as
 * one line {@code p50Nanos p99Nanos count} to a file JMH's report step picks up.
 */
public final class HandOverRecorder {

    private final AtomicLongArray releaseStarted;
    private final Queue<Samples> allSamples = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Samples> samples = ThreadLocal.withInitial(this::newSamples);
    private volatile boolean recording;

    public HandOverRecorder(int keys) {
        releaseStarted = new AtomicLongArray(keys);
    }

    /** Records only while on: JMH's measurement iterations, not its warm-up. */
    public void recording(boolean on) {
        recording = on;
    }

    /** Called by the new holder right after its acquire returned. */
    public void entered(int slot, long waitStartedNanos, long enteredNanos) {
        long released = releaseStarted.get(slot);
        if (recording && released != 0 && released > waitStartedNanos) {
            samples.get().add(enteredNanos - released);
        }
    }

    /** Called by the holder right before it releases. */
    public void releasing(int slot) {
        releaseStarted.set(slot, System.nanoTime());
    }

    /** Writes {@code p50 p99 count} (nanoseconds) to {@code <out>/handover/<name>.txt}. */
    public void write(String name) {
        long[] all = allSamples.stream().flatMapToLong(Samples::stream).sorted().toArray();
        String line = all.length == 0 ? "0 0 0"
                : Percentiles.of(all, 0.50) + " " + Percentiles.of(all, 0.99) + " " + all.length;
        Path file = BenchEnv.outDir().resolve("handover").resolve(name + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Samples newSamples() {
        Samples fresh = new Samples();
        allSamples.add(fresh);
        return fresh;
    }

    /** One thread's samples; read by the trial's tear-down, after JMH has joined the threads. */
    private static final class Samples {

        private long[] values = new long[4096];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        LongStream stream() {
            return Arrays.stream(values, 0, size);
        }
    }
}
