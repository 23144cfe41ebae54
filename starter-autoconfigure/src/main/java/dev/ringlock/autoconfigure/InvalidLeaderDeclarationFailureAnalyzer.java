package dev.ringlock.autoconfigure;

import dev.ringlock.leader.InvalidLeaderDeclarationException;
import dev.ringlock.leader.LeaderOnly;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Points at the {@link LeaderOnly} annotation that cannot work as written, on a method or a bean.
 */
class InvalidLeaderDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLeaderDeclarationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidLeaderDeclarationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the @LeaderOnly annotation on " + cause.declaredOn() + ".", cause);
    }
}
