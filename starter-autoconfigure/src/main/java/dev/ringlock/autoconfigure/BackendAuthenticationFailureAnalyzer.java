package dev.ringlock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Names the credential properties when the backend refused them at start-up.
 */
class BackendAuthenticationFailureAnalyzer extends AbstractFailureAnalyzer<BackendAuthenticationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BackendAuthenticationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct " + cause.property() + " to credentials that " + cause.backend().id() + " at " + cause.address()
                        + " accepts.",
                cause);
    }
}
