package dev.ringlock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other JVM of the process tests: {@link FrozenHolderMain} (or another main class that answers as it does,
 * {@link ScheduledJobMain}, {@link LeaderProcessMain}), started from this test classpath and driven over its stdin
 * and stdout, frozen and thawed with {@code kill -STOP}/{@code -CONT}, or killed. Lines starting with
 * {@value FrozenHolderMain#ANSWER} answer the commands, one each; lines starting with {@value #EVENT} are events the
 * process reports by itself, kept in {@link #events()}.
 */
public final class FrozenHolderProcess implements AutoCloseable {

    /** How a line of the process's output that reports an event starts. */
    public static final String EVENT = "## ";

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    private FrozenHolderProcess(Process process) {
        this.process = process;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::readAnswers, "frozen-holder-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@link FrozenHolderMain} with {@code args} and waits until it is ready. */
    public static FrozenHolderProcess start(String... args) throws Exception {
        return start(FrozenHolderMain.class, args);
    }

    /** Starts {@code mainClass} with {@code args} and waits until it is ready. */
    public static FrozenHolderProcess start(Class<?> mainClass, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        FrozenHolderProcess holder = new FrozenHolderProcess(process);
        assertThat(holder.answer()).isEqualTo("ready");
        return holder;
    }

    /** Sends {@code command} and returns its answer. */
    public String send(String command) throws Exception {
        sendWithoutAnswer(command);
        return answer();
    }

    /** Sends {@code command}, one of {@link FrozenHolderMain}'s {@code acquire} commands, and returns the token it got. */
    public long acquire(String command) throws Exception {
        String answer = send(command);
        assertThat(answer).as("answer to '%s'", command).startsWith("acquired ");
        return Long.parseLong(answer.substring("acquired ".length()));
    }

    /** Sends {@code command}; a frozen process reads it the moment it thaws. */
    public void sendWithoutAnswer(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    /** The next answer. */
    public String answer() throws InterruptedException {
        String answer = answers.poll(60, TimeUnit.SECONDS);
        assertThat(answer).as("answer from the holder process").isNotNull();
        return answer;
    }

    /** The events the process reported so far, in order, without the {@value #EVENT} prefix. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** Sends {@code kill -<signal>} to the process: {@code STOP} freezes it, {@code CONT} thaws it, {@code KILL} ends it. */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
    }

    /**
     * Kills the process with SIGKILL, as {@code kill -9} does, and waits until it has ended: nothing of it runs
     * any more, not even a shutdown hook. Returns its exit status, 137 (128 + 9) for a process that SIGKILL ended.
     */
    public int kill() throws Exception {
        signal("KILL");
        assertThat(awaitExit()).as("the process ended after SIGKILL").isTrue();
        return process.exitValue();
    }

    /** Waits for the process to end after {@code exit}. */
    public boolean awaitExit() throws InterruptedException {
        return process.waitFor(20, TimeUnit.SECONDS);
    }

    private void readAnswers() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(FrozenHolderMain.ANSWER)) {
                    answers.add(line.substring(FrozenHolderMain.ANSWER.length()));
                }
                else if (line.startsWith(EVENT)) {
                    events.add(line.substring(EVENT.length()));
                }
            }
        }
        catch (IOException ignore) {
            // the process ended
        }
    }

    @Override
    public void close() {
        process.destroyForcibly(); // SIGKILL ends a stopped process too
    }
}
