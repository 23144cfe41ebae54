package dev.ringlock.support;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;

/**
 * A thread pool that Ringlock creates as a bean, so that its threads end with the application context instead
 * of outliving it; subclasses say which pool and what runs on it.
 */
public abstract class ContextBoundExecutor implements Executor, DisposableBean {

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

    @Override
    public void execute(Runnable command) {
        executor.execute(command);
    }

    @Override
    public void destroy() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
