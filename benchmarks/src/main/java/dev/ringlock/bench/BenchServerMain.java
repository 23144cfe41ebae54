package dev.ringlock.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;

import dev.ringlock.testsupport.RedisServerProcess;

/**
 * {@code run.sh}'s helper: {@code redis} starts a {@code redis-server} process through the test-support
 * helper (the Redis 6.2 binary of embedded-redis, or {@code $RINGLOCK_REDIS_SERVER}), prints its port and
 * keeps it running until this JVM is stopped ({@code run.sh} sends SIGTERM on exit; the helper's shutdown
 * hook then kills the server); {@code free-port} prints a free
 * loopback port (for the ZooKeeper server); {@code redis-version} prints the version of that binary.
 */
public final class BenchServerMain {

    private BenchServerMain() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "";
        switch (command) {
            case "redis" -> runRedis();
            case "free-port" -> System.out.println(freePort());
            case "redis-version" -> System.out.println(redisVersion());
            default -> {
                System.err.println("usage: BenchServerMain redis | free-port | redis-version");
                System.exit(2);
            }
        }
    }

    private static void runRedis() throws InterruptedException {
        RedisServerProcess server = RedisServerProcess.start();
        System.out.println(server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static String redisVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(RedisServerProcess.binary().toString(), "--version").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher version = Pattern.compile("v=(\\S+)").matcher(output);
        return version.find() ? version.group(1) : output.trim();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
