package dev.ringlock.support;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;

/**
 * A thread pool that Ringlock creates as a bean, so that its threads end with the application context instead
 * of outliving it; subclasses say which pool and what runs on it.
 * <p>
 * Deliberately not an {@link Executor} bean: Spring Boot creates its {@code applicationTaskExecutor} (used by
 * {@code @Async}, MVC async requests and others, on virtual threads with {@code spring.threads.virtual.enabled})
 * only while the context has no {@code Executor} bean, so a pool of ours of that type would silently take it away.
 * Hand {@link #asExecutor()} to the code that runs on it.
 */
public abstract class ContextBoundExecutor implements DisposableBean {

    private final ExecutorService executor;

    protected ContextBoundExecutor(ExecutorService executor) {
        this.executor = executor;
    }

    /** Daemon threads named {@code name}: a pool the context failed to end must not keep the JVM alive. */
    protected static ThreadFactory daemonThreads(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The pool, for the code that runs on it. */
    public Executor asExecutor() {
        return executor;
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
