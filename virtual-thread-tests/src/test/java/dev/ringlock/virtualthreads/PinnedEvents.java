package dev.ringlock.virtualthreads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of {@code jdk.VirtualThreadPinned} events at threshold 0 (every pin, however short), and the
 * events among them that have a Ringlock frame on the pinned virtual thread's stack.
 */
final class PinnedEvents implements AutoCloseable {

    static final String EVENT = "jdk.VirtualThreadPinned";

    private final Recording recording = new Recording();

    private PinnedEvents() {
        recording.enable(EVENT).withThreshold(Duration.ZERO).withStackTrace();
    }

    static PinnedEvents start() {
        PinnedEvents events = new PinnedEvents();
        events.recording.start();
        return events;
    }

    /** Stops the recording and returns its pinned events with a {@code dev.ringlock} frame. */
    List<RecordedEvent> stopAndFindRinglockPins(Path directory) throws IOException {
        recording.stop();
        Path file = Files.createTempFile(directory, "virtual-thread-pinned", ".jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().equals(EVENT))
                .filter(PinnedEvents::hasRinglockFrame)
                .filter(event -> !isClassInitialisationWait(event))
                .toList();
    }

    private static boolean hasRinglockFrame(RecordedEvent event) {
        return event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
                .anyMatch(frame -> frame.isJavaFrame() && frame.getMethod().getType().getName().startsWith("dev.ringlock."));
    }

    /**
     * A virtual thread that needs a class another thread is still initialising waits pinned, once per class and
     * JVM, whatever the code does: the JVM cannot unmount it then (JEP 491 leaves this case). The test runs a warm-up
     * before it records, so that these waits fall outside the recording; one that still falls inside is recognised
     * by a static initialiser ({@code <clinit>}) on its stack, or the JVM's class loading/linking frames at its top.
     * (Seen on Java 25 without the warm-up: a "Contended monitor enter", "Freeze or preempt failed (2)", whose top
     * frame's bytecode is a {@code new} of a class not yet initialised, e.g. SpEL's {@code ExpressionState}.)
     */
    static boolean isClassInitialisationWait(RecordedEvent event) {
        List<RecordedFrame> frames = event.getStackTrace().getFrames();
        if (frames.stream().anyMatch(frame -> frame.getMethod().getName().equals("<clinit>"))) {
            return true;
        }
        RecordedFrame top = frames.get(0);
        String type = top.getMethod().getType().getName();
        return type.equals("java.lang.ClassLoader") || type.startsWith("jdk.internal.loader.")
                || type.equals("java.lang.invoke.MethodHandleNatives");
    }

    /** One line per event: its stack, for the failure message. */
    static String describe(List<RecordedEvent> events) {
        StringBuilder text = new StringBuilder();
        for (RecordedEvent event : events) {
            text.append(EVENT).append(" for ").append(event.getDuration());
            if (event.hasField("pinnedReason")) {
                text.append(" (").append(event.getString("pinnedReason")).append(')');
            }
            text.append('\n');
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                text.append("    at ").append(frame.getMethod().getType().getName()).append('.')
                        .append(frame.getMethod().getName()).append(" line ").append(frame.getLineNumber()).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        recording.close();
    }
}
