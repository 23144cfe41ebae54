package dev.ringlock.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away TLS identity for test servers: an EC key pair and a self-signed certificate for
 * {@code localhost} and {@code 127.0.0.1}, valid for two days, made at run time with the JDK's own
 * {@code keytool} (so no test certificate is committed that could expire) and written as PEM files, the form
 * {@code redis-server} and Spring Boot's PEM SSL bundles read.
 */
public final class SelfSignedCertificate {

    private static final String PASSWORD = "changeit";

    private final Path certificate;
    private final Path privateKey;

    private SelfSignedCertificate(Path certificate, Path privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** Generates a new key pair and certificate in a temporary directory. */
    public static SelfSignedCertificate generate() {
        try {
            Path dir = Files.createTempDirectory("ringlock-tls-");
            Path keystore = dir.resolve("identity.p12");
            runKeytool(keystore);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD.toCharArray());
            }
            Key key = store.getKey("server", PASSWORD.toCharArray());
            Certificate cert = store.getCertificate("server");
            Path certificate = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", cert.getEncoded()));
            Path privateKey = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
            for (Path file : List.of(dir, keystore, certificate, privateKey)) {
                file.toFile().deleteOnExit();
            }
            return new SelfSignedCertificate(certificate, privateKey);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write a test certificate", ex);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Cannot read the test certificate keytool made", ex);
        }
    }

    /** The certificate, PEM; also the one certificate a client must trust. */
    public Path certificate() {
        return certificate;
    }

    /** The private key, PEM (PKCS#8, unencrypted). */
    public Path privateKey() {
        return privateKey;
    }

    private static void runKeytool(Path keystore) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keypass", PASSWORD);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + String.join(" ", command) + "\n" + output);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + keytool, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", ex);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
