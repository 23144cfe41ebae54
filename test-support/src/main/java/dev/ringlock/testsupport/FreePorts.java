package dev.ringlock.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers started by tests, demos and benchmarks. A port is free when it is asked
 * for; whoever binds it next wins, so start the server at once.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port that is free on the loopback address now, chosen by the operating system. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free loopback port", ex);
        }
    }

    /**
     * A free port whose port + {@code offset} is free too, as a Redis Cluster node needs for its bus
     * (port + 10000): chosen between 20000 and 30000, so that both stay below the ephemeral range.
     */
    public static int nextWithFreeOffset(int offset) {
        if (offset <= 0 || offset > 30000) {
            throw new IllegalArgumentException("'offset' must be between 1 and 30000, not " + offset);
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 30000);
            if (isFree(port) && isFree(port + offset)) {
                return port;
            }
        }
        throw new IllegalStateException("No free pair of ports (port and port + " + offset + ") from 20000 up");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }
}
