package dev.ringlock.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Names the {@code ringlock.zookeeper.auth.*} property to fix when the ZooKeeper credential cannot work.
 */
class ZooKeeperAuthFailureAnalyzer extends AbstractFailureAnalyzer<ZooKeeperAuthException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ZooKeeperAuthException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
