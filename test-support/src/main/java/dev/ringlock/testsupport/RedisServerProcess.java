package dev.ringlock.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process on a free loopback port, with persistence off.
 * <p>
 * The binary is the one named by the environment variable {@value #BINARY_ENV} (e.g. a Redis 7 from the
 * system), else the Redis 6.2 binary shipped inside {@code com.github.codemonstur:embedded-redis}, so that
 * every machine tests the same server without installing one. Every process started here is killed when
 * the JVM exits.
 */
public final class RedisServerProcess implements RedisTestServer {

    /** Environment variable naming another {@code redis-server} binary. */
    public static final String BINARY_ENV = "RINGLOCK_REDIS_SERVER";

    private static final Logger logger = LoggerFactory.getLogger(RedisServerProcess.class);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile Path extractedBinary;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "ringlock-redis-cleanup"));
    }

    /** The line a data server logs once it listens. */
    private static final String SERVER_READY = "Ready to accept connections";

    /** What a server prints, before it exits, when its port is taken. */
    private static final String PORT_TAKEN = "Address already in use";

    /** Ports tried before giving up, each taken by another process between its choice and the server's bind. */
    private static final int PORT_ATTEMPTS = 5;

    /** Lines of output kept for {@link #recentOutput()}: a failover, seen by a Sentinel, takes a few dozen. */
    private static final int KEPT_LINES = 200;

    private final int port;
    private final List<String> extraArgs;
    /** The text of a configuration file to start with, or null for none. */
    private final String config;
    private final String readyLine;
    private final Path workDir;
    private volatile Process process;
    /** The last {@value #KEPT_LINES} lines printed, over restarts too; guarded by itself. */
    private final Deque<String> recentOutput = new ArrayDeque<>();

    private RedisServerProcess(int port, List<String> extraArgs, String config, String readyLine) {
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.config = config;
        this.readyLine = readyLine;
        try {
            this.workDir = Files.createTempDirectory("ringlock-redis-" + port + "-");
            this.workDir.toFile().deleteOnExit();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Starts a server on a free port, with extra {@code redis-server} arguments such as
     * {@code "--requirepass", "secret"}.
     */
    public static RedisServerProcess start(String... extraArgs) {
        return start(FreePorts::next, extraArgs);
    }

    /**
     * Starts a server on a port from {@code freePorts}, and on the next one if another process bound that port
     * between its choice and the server's start (a free port is only free when asked for).
     */
    public static RedisServerProcess start(IntSupplier freePorts, String... extraArgs) {
        return onFreePort(freePorts, port -> new RedisServerProcess(port, List.of(extraArgs), null, SERVER_READY));
    }

    /**
     * Starts a server on {@code port}, with extra {@code redis-server} arguments; fails if the port is taken.
     * For arguments that name the port themselves.
     */
    public static RedisServerProcess start(int port, String... extraArgs) {
        RedisServerProcess server = new RedisServerProcess(port, List.of(extraArgs), null, SERVER_READY);
        server.launch();
        return server;
    }

    /**
     * Starts a Sentinel on a free port with the given configuration. Sentinel insists on a configuration
     * file it can rewrite, so the text is written to the process's own directory; it logs its id (not the
     * data server's ready line) once it listens.
     */
    static RedisServerProcess startSentinel(String config) {
        return onFreePort(FreePorts::next,
                port -> new RedisServerProcess(port, List.of("--sentinel"), config, "Sentinel ID is"));
    }

    private static RedisServerProcess onFreePort(IntSupplier freePorts, IntFunction<RedisServerProcess> server) {
        PortTakenException taken = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            RedisServerProcess candidate = server.apply(freePorts.getAsInt());
            try {
                candidate.launch();
                return candidate;
            }
            catch (PortTakenException ex) {
                logger.debug("{}; trying another port", ex.getMessage());
                taken = ex;
            }
        }
        throw taken;
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    /** The process id, while the server runs. */
    public long pid() {
        return requireProcess().pid();
    }

    @Override
    public boolean supportsFaults() {
        return true;
    }

    @Override
    public void stop() {
        Process p = process;
        if (p != null) {
            p.destroy();
            awaitExit(p);
        }
    }

    @Override
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            awaitExit(p);
        }
    }

    @Override
    public void restart() {
        stop();
        launch();
    }

    /**
     * Returns once the process is stopped, not just signalled: a fault test that cuts a replica off right after
     * freezing it relies on the replica no longer running (one still running reconnects within a second and takes
     * in the writes the test means it to miss).
     */
    @Override
    public void pause() {
        signal("STOP");
        awaitStopped(true);
    }

    @Override
    public void resume() {
        Process p = process;
        if (p != null && p.isAlive()) {
            signal("CONT");
            awaitStopped(false);
        }
    }

    /** Waits until the process's state in {@code /proc} is (or is no longer) "stopped"; where there is no /proc, returns. */
    private void awaitStopped(boolean stopped) {
        Path stat = Path.of("/proc", Long.toString(requireProcess().pid()), "stat");
        if (!Files.isReadable(stat)) {
            return;
        }
        Awaitility.await(this + (stopped ? " to stop" : " to continue")).atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> isStopped(Files.readString(stat)) == stopped);
    }

    /** Whether a {@code /proc/<pid>/stat} line says stopped: its state follows the command name in parentheses. */
    static boolean isStopped(String statLine) {
        char state = statLine.charAt(statLine.lastIndexOf(')') + 2);
        return state == 'T' || state == 't';
    }

    @Override
    public void close() {
        kill();
    }

    /**
     * What the server printed last, across its restarts, under a heading that names it: for a test that waited in
     * vain for servers to fail over or reconfigure, where Sentinel's and the servers' own logs tell why.
     */
    public String recentOutput() {
        synchronized (recentOutput) {
            return "--- " + this + ", its last " + recentOutput.size() + " lines ---\n"
                    + String.join("\n", recentOutput);
        }
    }

    /** The {@link #recentOutput()} of each of {@code servers}, one after the other. */
    public static String recentOutput(Collection<RedisServerProcess> servers) {
        return servers.stream().map(RedisServerProcess::recentOutput).collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
        return (extraArgs.contains("--sentinel") ? "redis-sentinel" : "redis-server") + " on " + host() + ":" + port;
    }

    private void keep(String line) {
        synchronized (recentOutput) {
            if (recentOutput.size() == KEPT_LINES) {
                recentOutput.removeFirst();
            }
            recentOutput.addLast(line);
        }
    }

    private synchronized void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(this + " is already running");
        }
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        if (config != null) {
            command.add(writeConfig(config).toString());
        }
        command.addAll(List.of("--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no",
                "--dir", workDir.toString(), "--daemonize", "no"));
        command.addAll(extraArgs);
        try {
            Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
            RUNNING.add(started);
            started.onExit().thenRun(() -> RUNNING.remove(started));
            awaitReady(started);
            process = started;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start " + command.get(0) + " on port " + port, ex);
        }
    }

    private Path writeConfig(String text) {
        Path file = workDir.resolve("redis.conf");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write " + file, ex);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    /**
     * Waits for the server's own ready line, and keeps draining its output; fails at once if the server exits
     * first, with {@link PortTakenException} if it exited because its port was taken.
     */
    private void awaitReady(Process started) {
        // counted down on the ready line, or when the output ends because the process exited
        CountDownLatch ready = new CountDownLatch(1);
        AtomicBoolean sawReadyLine = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    // kept before the ready signal, so that the output a caller reads once started includes it
                    keep(line);
                    if (line.contains(readyLine)) {
                        sawReadyLine.set(true);
                        ready.countDown();
                    }
                    logger.debug("redis:{} {}", port, line);
                }
            }
            catch (IOException ignore) {
                // the process ended; its exit is handled by whoever stopped it
            }
            ready.countDown();
        }, "ringlock-redis-" + port + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!ready.await(20, TimeUnit.SECONDS)) {
                started.destroyForcibly();
                throw new IllegalStateException(this + " did not start within 20s:\n" + recentOutput());
            }
            if (!sawReadyLine.get()) {
                awaitExit(started);
                String output = recentOutput();
                if (output.contains(PORT_TAKEN)) {
                    throw new PortTakenException(this + " could not bind its port, which another process took");
                }
                throw new IllegalStateException(this + " exited while starting:\n" + output);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            throw new IllegalStateException("Interrupted while starting redis-server on port " + port, ex);
        }
    }

    private void signal(String signal) {
        long pid = requireProcess().pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling redis-server " + pid, ex);
        }
    }

    private Process requireProcess() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(this + " is not running");
        }
        return p;
    }

    private static void awaitExit(Process p) {
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The binary to run: {@value #BINARY_ENV}, else the one shipped in embedded-redis, extracted once. */
    public static Path binary() {
        String configured = System.getenv(BINARY_ENV);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(BINARY_ENV + "=" + configured + " is not an executable redis-server");
            }
            return path;
        }
        Path binary = extractedBinary;
        if (binary == null) {
            synchronized (RedisServerProcess.class) {
                binary = extractedBinary;
                if (binary == null) {
                    binary = extractShippedBinary();
                    extractedBinary = binary;
                }
            }
        }
        return binary;
    }

    private static Path extractShippedBinary() {
        String resource = shippedBinaryName();
        try (InputStream in = RedisServerProcess.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("embedded-redis has no " + resource + " on the classpath; set "
                        + BINARY_ENV + " to a redis-server binary");
            }
            Path dir = Files.createTempDirectory("ringlock-redis-bin");
            Path target = dir.resolve("redis-server");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true)) {
                throw new IllegalStateException("Cannot make " + target + " executable; set " + BINARY_ENV);
            }
            target.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot extract " + resource, ex);
        }
    }

    private static String shippedBinaryName() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean arm = arch.contains("aarch64") || arch.contains("arm64");
        if (os.contains("linux")) {
            return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("mac")) {
            return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
        }
        throw new IllegalStateException("No redis-server shipped for " + os + "/" + arch + "; set " + BINARY_ENV);
    }

    /** A server exited at start because another process had bound its port. */
    private static final class PortTakenException extends IllegalStateException {

        PortTakenException(String message) {
            super(message);
        }
    }
}
