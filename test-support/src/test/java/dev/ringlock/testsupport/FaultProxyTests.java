package dev.ringlock.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.ringlock.testsupport.FaultProxy.Direction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link FaultProxy} in front of a small echo server.
 */
class FaultProxyTests {

    private static ServerSocket echo;

    private FaultProxy proxy;

    @BeforeAll
    static void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread echoing = new Thread(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        }
                        catch (IOException ignore) {
                            // the proxy closed the connection
                        }
                    });
                    echoing.setDaemon(true);
                    echoing.start();
                }
                catch (IOException ignore) {
                    // closed after the tests
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopEchoServer() throws IOException {
        echo.close();
    }

    @BeforeEach
    void startProxy() {
        proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void closeProxy() {
        proxy.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(proxy.host(), proxy.port());
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] reply = socket.getInputStream().readNBytes(text.length());
        return new String(reply, StandardCharsets.UTF_8);
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
            assertThat(roundTrip(socket, "again")).isEqualTo("again");
        }
    }

    @Test
    void delayHoldsTheBytesBackInOrder() throws IOException {
        proxy.delay(Direction.TO_SERVER, Duration.ofMillis(200));
        proxy.delay(Direction.TO_CLIENT, Duration.ofMillis(200));
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
            // a lower bound only: the bytes cannot come back sooner than both delays
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void blackHoleSwallowsTheBytesAndHealClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");
            proxy.blackHole();
            socket.setSoTimeout(500);
            socket.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.heal();
            socket.setSoTimeout(5000);
            assertThat(readToEnd(socket.getInputStream())).as("the healed link is closed").isTrue();
        }
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "after")).isEqualTo("after");
        }
    }

    @Test
    void aBlackHoleToTheClientDeliversTheRequestAndLosesItsAnswer() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");
            // counted just after the bytes were written, so the count may trail the read by a moment
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.deliveredBytes(Direction.TO_CLIENT) == 6);
            long toServer = proxy.deliveredBytes(Direction.TO_SERVER);
            proxy.blackHole(Direction.TO_CLIENT);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.deliveredBytes(Direction.TO_SERVER) == toServer + 4);
            assertThatThrownBy(() -> socket.getInputStream().read()).as("the echo is lost")
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(proxy.deliveredBytes(Direction.TO_CLIENT)).isEqualTo(6);

            proxy.heal();
            socket.setSoTimeout(5000);
            assertThat(readToEnd(socket.getInputStream())).as("the healed link is closed").isTrue();
        }
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "after")).isEqualTo("after");
        }
        assertThat(proxy.acceptedConnections()).isEqualTo(2);
    }

    @Test
    void dropClosesOpenConnectionsAndServesNewOnes() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.openConnections() == 1);
            proxy.drop();
            assertThat(readToEnd(socket.getInputStream())).as("the dropped link is closed").isTrue();
        }
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "after")).isEqualTo("after");
        }
    }

    /** True once the stream ends or is reset. */
    private static boolean readToEnd(InputStream in) {
        try {
            return in.read() < 0;
        }
        catch (IOException reset) {
            return true;
        }
    }
}
