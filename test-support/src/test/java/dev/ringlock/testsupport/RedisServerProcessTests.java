package dev.ringlock.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The helper's server is real and its faults are real: it answers PING, loses data on kill -9 and
 * restart, and stops answering while paused; it keeps its last output for a failing test to show, and takes
 * another port when the one chosen was taken before the server bound it.
 */
class RedisServerProcessTests {

    @RegisterExtension
    static final TestServerExtension<RedisServerProcess> redis = TestServerExtension.of(RedisServerProcess::start);

    @Test
    void answersAndLosesItsDataWhenKilledAndRestarted() throws IOException {
        RedisServerProcess server = redis.server();
        assertThat(command("PING")).isEqualTo("+PONG");
        assertThat(command("SET", "k", "v")).isEqualTo("+OK");
        long pid = server.pid();
        server.kill();
        assertThatExceptionOfType(IOException.class).isThrownBy(() -> command("PING"));
        server.restart();
        assertThat(server.pid()).isNotEqualTo(pid);
        assertThat(command("GET", "k")).isEqualTo("$-1");
    }

    @Test
    void keepsWhatItPrintedAcrossARestartForAFailingTestToShow() {
        RedisServerProcess server = redis.server();
        int before = readyLines(server.recentOutput());
        server.restart();
        String output = server.recentOutput();
        assertThat(output).startsWith("--- redis-server on 127.0.0.1:" + server.port() + ", its last ");
        assertThat(readyLines(output)).as("ready lines, one more after the restart").isEqualTo(before + 1);
    }

    private static int readyLines(String output) {
        return (int) output.lines().filter(line -> line.contains("Ready to accept connections")).count();
    }

    @Test
    void aPausedServerDoesNotAnswerUntilResumed() throws IOException {
        RedisServerProcess server = redis.server();
        Path stat = Path.of("/proc", Long.toString(server.pid()), "stat");
        server.pause();
        try {
            assertThat(RedisServerProcess.isStopped(Files.readString(stat))).as("stopped when pause() returns").isTrue();
            assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> command("PING"));
        }
        finally {
            server.resume();
        }
        assertThat(RedisServerProcess.isStopped(Files.readString(stat))).as("running when resume() returns").isFalse();
        assertThat(command("PING")).isEqualTo("+PONG");
    }

    @Test
    void startsOnTheNextPortWhenAnotherProcessTookTheChosenOneFirst() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Integer> offered = new ArrayList<>();
            IntSupplier ports = () -> {
                int port = offered.isEmpty() ? taken.getLocalPort() : FreePorts.next();
                offered.add(port);
                return port;
            };
            try (RedisServerProcess server = RedisServerProcess.start(ports)) {
                assertThat(offered).as("ports offered").hasSize(2).startsWith(taken.getLocalPort());
                assertThat(server.port()).isEqualTo(offered.get(1));
                assertThat(RespClient.call(server.host(), server.port(), "PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void failsNamingThePortWhenTheOneItWasGivenIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatIllegalStateException().isThrownBy(() -> RedisServerProcess.start(taken.getLocalPort()))
                    .withMessage("redis-server on 127.0.0.1:" + taken.getLocalPort()
                            + " could not bind its port, which another process took");
        }
    }

    @Test
    void readsTheStateAfterTheCommandNameEvenWhenTheNameHasParentheses() {
        assertThat(RedisServerProcess.isStopped("4242 (redis-server) T 1 4242 4242 0 -1")).isTrue();
        assertThat(RedisServerProcess.isStopped("4242 (redis (x) y) S 1 4242 4242 0 -1")).isFalse();
        assertThat(RedisServerProcess.isStopped("4242 (a) b) t 1")).isTrue();
    }

    /** One RESP command on a fresh connection; returns the first line of the reply. */
    private static String command(String... parts) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(redis.server().host(), redis.server().port()), 1000);
            socket.setSoTimeout(500);
            StringBuilder request = new StringBuilder("*" + parts.length + "\r\n");
            for (String part : parts) {
                request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            return line;
        }
    }
}
