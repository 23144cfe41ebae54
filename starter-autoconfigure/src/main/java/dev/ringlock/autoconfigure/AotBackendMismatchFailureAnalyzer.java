package dev.ringlock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says how to get the backend the properties ask for when AOT fixed another one at build time.
 */
class AotBackendMismatchFailureAnalyzer extends AbstractFailureAnalyzer<AotBackendMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, AotBackendMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "AOT chooses Ringlock's beans when the application is built. Run process-aot with the profiles and "
                        + "properties the application runs with (e.g. <profiles> of the spring-boot-maven-plugin's "
                        + "process-aot goal) so that 'ringlock." + cause.feature() + ".backend' or 'ringlock.backend' "
                        + "selects " + cause.selectedBackend().id() + " there too, or start without "
                        + "-Dspring.aot.enabled=true.",
                cause);
    }
}
