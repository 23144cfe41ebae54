package dev.ringlock.virtualthreads;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with {@code spring.threads.virtual.enabled=true}: 2,000 tasks on Spring Boot's virtual-thread
 * task executor call a {@code @DistributedLock} method on 20 keys, recorded by JFR. The outside log shows no
 * overlap and increasing fencing tokens per key, the recording no carrier pinned in Ringlock code, and a handle
 * acquired on one virtual thread is released by another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractVirtualThreadLockingTests {

    static final int CALLS = 2_000;
    static final int KEYS = 20;
    static final int WARM_UP_CALLS = 5 * KEYS;

    private final LockLog log = new LockLog();
    private ConfigurableApplicationContext context;

    /** The properties that point the application at this class's server and backend. */
    protected abstract String[] backendProperties();

    @BeforeAll
    void startApplication() {
        context = new SpringApplicationBuilder(Application.class)
                .web(WebApplicationType.NONE)
                .properties("spring.threads.virtual.enabled=true", "ringlock.key-prefix=virtual-threads")
                .properties(backendProperties())
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("lockLog", log))
                .run();
    }

    @AfterAll
    void stopApplication() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void twoThousandVirtualThreadsOnTwentyKeysNeverOverlapAndPinNoCarrierInRinglockCode(@TempDir Path directory)
            throws Exception {
        // the executor Spring Boot builds for the application: with spring.threads.virtual.enabled, one virtual thread
        // per task
        SimpleAsyncTaskExecutor executor = context.getBean(SimpleAsyncTaskExecutorBuilder.class).build();
        LockedService service = context.getBean(LockedService.class);
        // a warm-up, as an application's first requests: a virtual thread that needs a class another thread is
        // still initialising waits pinned (once per class and JVM, see PinnedEvents), so the recording starts after
        // the contended paths have run once
        runCalls(executor, service, WARM_UP_CALLS);
        log.clear();
        List<RecordedEvent> pins;
        try (PinnedEvents recording = PinnedEvents.start()) {
            runCalls(executor, service, CALLS);
            pins = recording.stopAndFindRinglockPins(directory);
        }

        List<LockLog.Event> events = log.events();
        assertThat(events).hasSize(2 * CALLS).allMatch(LockLog.Event::virtual, "logged on a virtual thread");
        Map<String, List<LockLog.Event>> byKey = log.byKey();
        assertThat(byKey).hasSize(KEYS);
        byKey.forEach((key, keyEvents) -> {
            assertThat(keyEvents).as("calls on %s", key).hasSize(2 * CALLS / KEYS);
            long lastToken = Long.MIN_VALUE;
            for (int i = 0; i < keyEvents.size(); i += 2) {
                LockLog.Event entry = keyEvents.get(i);
                LockLog.Event exit = keyEvents.get(i + 1);
                assertThat(entry.entry()).as("event %d on %s is an entry (no overlap)", i, key).isTrue();
                assertThat(exit.entry()).as("event %d on %s is the exit of the entry before it", i + 1, key).isFalse();
                assertThat(exit.token()).isEqualTo(entry.token());
                assertThat(entry.token()).as("fencing token of entry %d on %s", i / 2, key).isGreaterThan(lastToken);
                lastToken = entry.token();
            }
        });
        assertThat(pins).as("jdk.VirtualThreadPinned events with a dev.ringlock frame:%n%s", PinnedEvents.describe(pins))
                .isEmpty();
    }

    @Test
    void aHandleAcquiredOnOneVirtualThreadIsClosedFromAnother() throws Exception {
        LockTemplate locks = context.getBean(LockTemplate.class);
        AtomicReference<LockHandle> acquired = new AtomicReference<>();
        Thread acquirer = Thread.ofVirtual().start(() -> acquired.set(locks.acquire("handed-over", Duration.ofSeconds(30))));
        acquirer.join();
        LockHandle handle = acquired.get();
        assertThat(handle.isValid()).isTrue();
        assertThat(tryOnVirtualThread(locks)).as("the lock is held, so another caller cannot take it").isFalse();

        Thread closer = Thread.ofVirtual().start(handle::close);
        closer.join();

        assertThat(handle.isValid()).isFalse();
        assertThat(tryOnVirtualThread(locks)).as("released by the other thread's close, so free again").isTrue();
    }

    /** Runs {@code count} calls, one virtual thread each, on the keys in turn, and waits for them all. */
    private static void runCalls(SimpleAsyncTaskExecutor executor, LockedService service, int count) throws Exception {
        List<Future<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "key-" + (i % KEYS);
            calls.add(executor.submit(() -> {
                service.work(key);
                // the call left nothing behind on this thread for whatever runs on it next
                return LockContext.current().isEmpty();
            }));
        }
        for (Future<Boolean> call : calls) {
            assertThat(call.get()).as("LockContext cleared after the call").isTrue();
        }
    }

    /** Whether a third virtual thread gets the lock at once (and then releases it). */
    private static boolean tryOnVirtualThread(LockTemplate locks) throws Exception {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(locks.tryAcquire("handed-over", Duration.ZERO).map(other -> {
                    other.close();
                    return true;
                }).orElse(false));
            }
            catch (RuntimeException failure) {
                result.completeExceptionally(failure);
            }
        });
        return result.get();
    }

    /** The application: Ringlock's auto-configuration and one locked bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {

        @Bean
        LockedService lockedService(LockLog lockLog) {
            return new LockedService(lockLog);
        }
    }
}
