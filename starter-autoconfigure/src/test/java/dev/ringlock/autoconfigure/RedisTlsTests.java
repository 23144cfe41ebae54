package dev.ringlock.autoconfigure;

import dev.ringlock.testsupport.FreePorts;
import dev.ringlock.testsupport.RedisServerExtension;
import dev.ringlock.testsupport.RedisServerProcess;
import dev.ringlock.testsupport.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Locks, counters and the ring over TLS: a server that listens only on a TLS port, with a certificate made
 * for this run, reached through {@code spring.data.redis.ssl.enabled}/{@code ssl.bundle} and a PEM SSL bundle
 * ({@code spring.ssl.bundle.pem.*}) that trusts that certificate.
 */
class RedisTlsTests extends AbstractRedisTopologyTests {

    private static SelfSignedCertificate certificate;

    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension(RedisTlsTests::startTlsOnlyServer);

    private static RedisServerProcess startTlsOnlyServer() {
        certificate = SelfSignedCertificate.generate();
        int port = FreePorts.next();
        // "--port 0" turns the plain-text port off: everything goes through TLS
        return RedisServerProcess.start(port, "--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", certificate.certificate().toString(),
                "--tls-key-file", certificate.privateKey().toString(),
                "--tls-ca-cert-file", certificate.certificate().toString(), "--tls-auth-clients", "no");
    }

    @Override
    protected String[] connectionProperties() {
        return new String[] {"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
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
            assertThat(analysis.getDescription()).startsWith("Ringlock could not reach redis at " + redis.host() + ":"
                    + redis.port()).contains("unable to find valid certification path");
        });
    }
}
