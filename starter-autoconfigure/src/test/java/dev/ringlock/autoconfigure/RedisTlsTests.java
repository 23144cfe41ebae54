package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks, counters and the ring over TLS: a server that listens only on a TLS port, with a certificate made
 * for this run, reached through {@code spring.data.redis.ssl.enabled}/{@code ssl.bundle} and a PEM SSL bundle
 * ({@code spring.ssl.bundle.pem.*}) that trusts that certificate.
 */
class RedisTlsTests extends AbstractRedisTopologyTests {

    private static SelfSignedCertificate certificate;
    private static RedisServerProcess server;

    @BeforeAll
    static void startServer() {
        certificate = SelfSignedCertificate.generate();
        int port = RedisServerProcess.freePort();
        // "--port 0" turns the plain-text port off: everything goes through TLS
        server = RedisServerProcess.start(port, "--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certificate.certificate().toString(),
                "--tls-key-file", certificate.privateKey().toString(),
                "--tls-ca-cert-file", certificate.certificate().toString(), "--tls-auth-clients", "no");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected String[] connectionProperties() {
        return new String[] {"spring.data.redis.host=" + server.host(), "spring.data.redis.port=" + server.port(),
                "spring.data.redis.ssl.enabled=true", "spring.data.redis.ssl.bundle=ringlock-redis",
                "spring.ssl.bundle.pem.ringlock-redis.truststore.certificate=file:" + certificate.certificate()};
    }

    @Override
    protected String keyPrefix() {
        return "tls-test";
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotStart() {
        instance().withPropertyValues("spring.data.redis.ssl.bundle=").run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new BackendUnavailableFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).startsWith("Ringlock could not reach redis at " + server.host() + ":"
                    + server.port()).contains("unable to find valid certification path");
        });
    }
}
