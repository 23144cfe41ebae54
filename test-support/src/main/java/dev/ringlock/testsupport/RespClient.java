package dev.ringlock.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking RESP2 client for test set-up: forming a cluster, asking Sentinels, counting
 * subscriptions on the server. Deliberately not Lettuce, so that what the tests set up and check does not
 * depend on the client under test (and needs no event loop to start and stop).
 * <p>
 * Replies: simple strings and bulk strings as {@link String} (a null bulk as {@code null}), integers as
 * {@link Long}, arrays as {@link List}; an error reply throws {@link RespError}.
 */
public final class RespClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host}:{@code port} (plain TCP), with a 10 s timeout on connecting and on each reply. */
    public static RespClient connect(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(10_000);
            return new RespClient(socket);
        }
        catch (IOException ex) {
            closeQuietly(socket);
            throw new UncheckedIOException("Cannot connect to redis at " + host + ":" + port, ex);
        }
    }

    /** Sends one command on a connection of its own and returns the reply. */
    public static Object call(String host, int port, String... command) {
        try (RespClient client = connect(host, port)) {
            return client.call(command);
        }
    }

    /** Sends one command and returns its reply. */
    public Object call(String... command) {
        try {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String part : command) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes(new byte[] {'\r', '\n'});
            }
            out.write(request.toByteArray());
            out.flush();
            return read();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Redis command " + command[0] + " to " + socket.getRemoteSocketAddress()
                    + " failed", ex);
        }
    }

    /** A text reply (e.g. of {@code INFO} or {@code CLUSTER INFO}) with its {@code name:value} lines, as a lookup. */
    public static String field(Object infoReply, String name) {
        for (String line : String.valueOf(infoReply).split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = readLine();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RespError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    try {
                        items.add(read());
                    }
                    catch (RespError error) {
                        items.add(error);
                    }
                }
                return items;
            }
            case -1:
                throw new IOException("Connection closed by " + socket.getRemoteSocketAddress());
            default:
                throw new IOException("Unexpected RESP type '" + (char) type + "' from " + socket.getRemoteSocketAddress());
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\r') {
            if (b == -1) {
                throw new IOException("Connection closed by " + socket.getRemoteSocketAddress());
            }
            line.write(b);
        }
        in.read(); // '\n'
        return line.toString(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ignore) {
            // nothing left to release
        }
    }

    /** An error reply from the server, such as {@code NOPERM …} or {@code WRONGPASS …}. */
    public static final class RespError extends RuntimeException {

        RespError(String message) {
            super(message);
        }
    }
}
