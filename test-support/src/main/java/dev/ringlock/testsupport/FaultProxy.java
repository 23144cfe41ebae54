package dev.ringlock.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that stands between one client and a server and injects network faults:
 * <ul>
 * <li>{@link #delay(Direction, Duration)}: every byte going one way arrives that much later, in order;</li>
 * <li>{@link #drop()}: every open connection is closed at once (a reset); new ones are served again;</li>
 * <li>{@link #blackHole()}: connections stay open, new ones are accepted, and every byte either way is read
 * and silently discarded, as behind a partition where nothing answers and nothing resets;</li>
 * <li>{@link #blackHole(Direction)}: the same one way only; {@code TO_CLIENT} lets every request reach the server
 * and loses its answer, the fault after which a client resends a command the server has already run;</li>
 * <li>{@link #heal()}: ends the black hole; the black-holed connections are closed, since they lost bytes
 * mid-stream, and new ones are forwarded again.</li>
 * </ul>
 * It counts the bytes it delivered each way and the connections it accepted, so that a test can show that a
 * request reached the server and that the client reconnected.
 * Blocking sockets, two threads per direction of each connection (one reads, one writes when the bytes are
 * due): small and plain rather than fast. Every thread is a daemon and ends with {@link #close()}.
 */
public final class FaultProxy implements AutoCloseable {

    /** Which way bytes travel. */
    public enum Direction {
        /** From the client to the server. */
        TO_SERVER,
        /** From the server back to the client. */
        TO_CLIENT
    }

    private static final byte[] CLOSE = new byte[0];
    private static final AtomicInteger PROXIES = new AtomicInteger();

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final String name;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final long[] delayNanos = new long[2];
    private final boolean[] blackHoled = new boolean[2];
    private final AtomicLong[] delivered = {new AtomicLong(), new AtomicLong()};
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.name = "fault-proxy-" + PROXIES.incrementAndGet();
        Thread acceptor = new Thread(this::acceptLoop, name + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free loopback port that forwards to {@code targetHost}:{@code targetPort}. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            return new FaultProxy(targetHost, targetPort);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start a fault proxy to " + targetHost + ":" + targetPort, ex);
        }
    }

    /** The host clients connect to instead of the server. */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** The port clients connect to instead of the server's. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Delays bytes going {@code direction} by {@code delay} from now on (zero: no delay). */
    public void delay(Direction direction, Duration delay) {
        synchronized (delayNanos) {
            delayNanos[direction.ordinal()] = delay.toNanos();
        }
    }

    /** Closes every open connection, as a reset would; new connections are forwarded as before. */
    public void drop() {
        for (Link link : links) {
            link.close();
        }
    }

    /** Discards every byte either way, on open and new connections alike, until {@link #heal()}. */
    public void blackHole() {
        blackHole(Direction.TO_SERVER);
        blackHole(Direction.TO_CLIENT);
    }

    /**
     * Discards every byte going {@code direction}, on open and new connections alike, until {@link #heal()};
     * the other way is forwarded as before.
     */
    public void blackHole(Direction direction) {
        synchronized (blackHoled) {
            blackHoled[direction.ordinal()] = true;
        }
    }

    /** Ends a black hole: closes the connections that lost bytes to it and forwards new ones again. */
    public void heal() {
        boolean wasBlackHoled;
        synchronized (blackHoled) {
            wasBlackHoled = blackHoled[0] || blackHoled[1];
            blackHoled[0] = false;
            blackHoled[1] = false;
        }
        if (wasBlackHoled) {
            drop();
        }
    }

    /** Bytes written to the receiving side going {@code direction} so far, over all connections. */
    public long deliveredBytes(Direction direction) {
        return delivered[direction.ordinal()].get();
    }

    /** Connections accepted so far, the first included; for tests that show a client reconnected. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections open now; for tests that wait for a client to (re)connect. */
    public int openConnections() {
        return links.size();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        drop();
    }

    @Override
    public String toString() {
        return name + " " + host() + ":" + port() + " -> " + targetHost + ":" + targetPort;
    }

    private boolean blackHoled(Direction direction) {
        synchronized (blackHoled) {
            return blackHoled[direction.ordinal()];
        }
    }

    private long delayNanos(Direction direction) {
        synchronized (delayNanos) {
            return delayNanos[direction.ordinal()];
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(targetHost, targetPort), 5000);
                }
                catch (IOException ex) {
                    // the server is down: the client sees the connection close, as if refused
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                accepted.incrementAndGet();
                Link link = new Link(client, server);
                links.add(link);
                try {
                    link.start();
                }
                catch (IOException ex) {
                    // dropped (drop() closed its sockets) before its pipes started: as if dropped a moment later
                    closeQuietly(client);
                    closeQuietly(server);
                    links.remove(link);
                }
            }
            catch (IOException ex) {
                if (!closed) {
                    throw new UncheckedIOException(name + " stopped accepting", ex);
                }
            }
        }
    }

    /** One proxied connection: the client's socket, the server's, and a pipe each way. */
    private final class Link {

        private final Socket client;
        private final Socket server;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() throws IOException {
            pipe(Direction.TO_SERVER, client.getInputStream(), server.getOutputStream());
            pipe(Direction.TO_CLIENT, server.getInputStream(), client.getOutputStream());
        }

        private void pipe(Direction direction, InputStream in, OutputStream out) {
            BlockingQueue<Chunk> due = new LinkedBlockingQueue<>();
            String thread = name + "-" + client.getPort() + "-" + direction.name().toLowerCase();
            Thread reader = new Thread(() -> read(direction, in, due), thread + "-read");
            Thread writer = new Thread(() -> write(direction, due, out), thread + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(Direction direction, InputStream in, BlockingQueue<Chunk> due) {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!blackHoled(direction)) {
                        due.add(new Chunk(System.nanoTime() + delayNanos(direction), Arrays.copyOf(buffer, n)));
                    }
                }
            }
            catch (IOException ignore) {
                // the link was closed (drop, heal, close) or the peer reset it: end the pipe below
            }
            due.add(new Chunk(System.nanoTime() + delayNanos(direction), CLOSE));
        }

        private void write(Direction direction, BlockingQueue<Chunk> due, OutputStream out) {
            try {
                while (true) {
                    Chunk chunk = due.take();
                    long wait;
                    while ((wait = chunk.dueNanos - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (chunk.bytes == CLOSE) {
                        break;
                    }
                    out.write(chunk.bytes);
                    out.flush();
                    delivered[direction.ordinal()].addAndGet(chunk.bytes.length);
                }
            }
            catch (IOException | InterruptedException ignore) {
                // the other side is gone: close the link below
            }
            // a half-closed TCP stream is not worth modelling: when one way ends, the connection ends
            close();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
            links.remove(this);
        }
    }

    private record Chunk(long dueNanos, byte[] bytes) {
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ignore) {
            // closing is best effort: the socket may be closed already
        }
    }
}
