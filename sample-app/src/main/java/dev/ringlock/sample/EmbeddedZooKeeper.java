package dev.ringlock.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

import dev.ringlock.testsupport.FreePorts;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A standalone ZooKeeper server in this JVM, ZooKeeper's own {@link ZooKeeperServerEmbedded}, on a free
 * loopback port with its data in a temporary directory that {@link #close()} deletes.
 */
final class EmbeddedZooKeeper implements AutoCloseable {

    private static final long STARTUP_TIMEOUT_MS = 30_000;

    private final ZooKeeperServerEmbedded server;
    private final Path baseDir;
    private final String connectString;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path baseDir, String connectString) {
        this.server = server;
        this.baseDir = baseDir;
        this.connectString = connectString;
    }

    static EmbeddedZooKeeper start() {
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("ringlock-sample-zookeeper-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create a data directory for the embedded ZooKeeper", ex);
        }
        int port = FreePorts.next();
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(port));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("tickTime", "2000");
        // no Jetty admin server on another port: the sample needs only the client port
        config.setProperty("admin.enableServer", "false");
        try {
            // LOG_ONLY: a server error must not System.exit() the sample's JVM
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                    .baseDir(baseDir)
                    .configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(STARTUP_TIMEOUT_MS);
            return new EmbeddedZooKeeper(server, baseDir, "127.0.0.1:" + port);
        }
        catch (Exception ex) {
            deleteRecursively(baseDir);
            throw new IllegalStateException("Could not start the embedded ZooKeeper server on 127.0.0.1:" + port
                    + "; run with -Dsample.embedded=false to use a ZooKeeper of your own", ex);
        }
    }

    String connectString() {
        return connectString;
    }

    @Override
    public void close() {
        server.close();
        deleteRecursively(baseDir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ignore) {
            // a leftover temporary directory is harmless; the server itself is closed
        }
    }
}
