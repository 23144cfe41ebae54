package dev.ringlock.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees of a start-up failure: the analysis of the first failure analyzer registered in
 * {@code spring.factories} (Spring Boot's and Ringlock's) that recognises it, as Spring Boot reports it.
 */
final class StartupFailureAnalysis {

    private StartupFailureAnalysis() {
    }

    static FailureAnalysis of(@Nullable Throwable failure) {
        assertThat(failure).as("start-up failure").isNotNull();
        // analyzers that need the failed context's bean factory cannot be built here; none of them reads properties
        List<FailureAnalyzer> analyzers = SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
                SpringFactoriesLoader.ArgumentResolver.of(Environment.class, new StandardEnvironment()),
                SpringFactoriesLoader.FailureHandler.handleMessage((message, ex) -> { }));
        AnnotationAwareOrderComparator.sort(analyzers);
        for (FailureAnalyzer analyzer : analyzers) {
            FailureAnalysis analysis = analyzer.analyze(failure);
            if (analysis != null) {
                return analysis;
            }
        }
        throw new AssertionError("no failure analyzer recognises " + failure);
    }
}
