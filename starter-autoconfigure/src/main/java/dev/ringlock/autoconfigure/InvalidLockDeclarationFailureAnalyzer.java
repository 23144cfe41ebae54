package dev.ringlock.autoconfigure;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.InvalidLockDeclarationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Points at the {@code @DistributedLock} annotation that cannot work as written.
 */
class InvalidLockDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidLockDeclarationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidLockDeclarationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the @DistributedLock annotation on " + cause.method() + ".", cause);
    }
}
