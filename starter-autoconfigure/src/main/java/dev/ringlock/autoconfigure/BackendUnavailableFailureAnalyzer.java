package dev.ringlock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says where Ringlock looked when its backend was down at start-up.
 */
class BackendUnavailableFailureAnalyzer extends AbstractFailureAnalyzer<BackendUnavailableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BackendUnavailableException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Start " + cause.backend().id() + " at " + cause.address() + ", or correct " + cause.property() + ".",
                cause);
    }
}
