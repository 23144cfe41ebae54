package dev.ringlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ringlock.support.Durations;
import dev.ringlock.testsupport.TestClients;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances ({@link ScheduledJobMain}, each its own JVM) run the same {@code @Scheduled} job with
 * {@code holdAtLeast} on one backend, for {@value #RUNS} periods or so; then, from the outside log of the runs
 * (timed by the log server's clock alone): about one run per hold in total, and no two runs closer than the hold
 * (on Redis, whose lock server is the log's, also between the locks' tokens, which are that server's time).
 */
public final class ScheduledJobRuns {

    private static final int INSTANCES = 3;
    private static final int RUNS = 6;

    /** From the lock's answer to the start of the method: the interceptor's own work. */
    private static final long CALL_ALLOWANCE_MICROS = 20_000;

    private ScheduledJobRuns() {
    }

    /** One entry of the log: {@code <TIME>:<token>:<elapsed>}, as {@link ScheduledJobMain} writes it. */
    record Run(long timeMicros, long token, long elapsedMicros) {

        static Run parse(String entry) {
            String[] parts = entry.split(":");
            return new Run(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        }
    }

    public static void runAndCheck(String backend, String address, String logHost, int logPort) throws Exception {
        Duration hold = Durations.parse(ScheduledJobMain.HOLD);
        String prefix = "ringlock-scheduled-" + UUID.randomUUID();
        String logKey = prefix + ":runs";
        String logAddress = logHost + ":" + logPort;
        LettuceConnectionFactory factory = TestClients.redis(logHost, logPort);
        List<FrozenHolderProcess> instances = new ArrayList<>();
        try {
            StringRedisTemplate log = new StringRedisTemplate(factory);
            List<CompletableFuture<FrozenHolderProcess>> starting = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                starting.add(CompletableFuture.supplyAsync(() -> start(backend, address, prefix, logAddress, logKey)));
            }
            for (CompletableFuture<FrozenHolderProcess> instance : starting) {
                instances.add(instance.join());
            }
            long from = serverMicros(log);
            for (FrozenHolderProcess instance : instances) {
                instance.sendWithoutAnswer("start");
            }
            for (FrozenHolderProcess instance : instances) {
                assertThat(instance.answer()).isEqualTo("started");
            }
            await().atMost(hold.multipliedBy(RUNS * 3L)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log.opsForList().size(logKey), size -> size >= RUNS);
            for (FrozenHolderProcess instance : instances) {
                instance.sendWithoutAnswer("stop");
            }
            for (FrozenHolderProcess instance : instances) {
                assertThat(instance.answer()).isEqualTo("stopped");
            }
            long to = serverMicros(log);

            List<Run> runs = log.opsForList().range(logKey, 0, -1).stream().map(Run::parse)
                    .sorted(Comparator.comparingLong(Run::timeMicros)).toList();
            long holdMicros = hold.toNanos() / 1000;
            for (int i = 1; i < runs.size(); i++) {
                Run previous = runs.get(i - 1);
                Run run = runs.get(i);
                if (backend.equals("redis")) {
                    // A Redis lock's token is at least the server's TIME in µs when it was acquired, and the hold
                    // is counted on that clock from it: successive tokens are the hold apart at least, exactly.
                    assertThat(run.token() - previous.token())
                            .as("microseconds between the acquisitions of runs %d and %d of %s", i - 1, i, runs)
                            .isGreaterThanOrEqualTo(holdMicros);
                }
                // The hold counts from the acquisition, and a run's time was taken up to its elapsed time after
                // the run started (measured by the run), which is just after the acquisition.
                assertThat(run.timeMicros() - previous.timeMicros())
                        .as("microseconds between runs %d and %d of %s", i - 1, i, runs)
                        .isGreaterThanOrEqualTo(holdMicros - previous.elapsedMicros() - CALL_ALLOWANCE_MICROS);
            }
            double periods = (double) (Math.max(to, runs.get(runs.size() - 1).timeMicros()) - from) / holdMicros;
            assertThat((double) runs.size()).as("runs in %.2f holds, all instances together: %s", periods, runs)
                    .isBetween(periods - 1, periods + 1);
            for (FrozenHolderProcess instance : instances) {
                assertThat(instance.send("exit")).isEqualTo("bye");
            }
        }
        finally {
            instances.forEach(FrozenHolderProcess::close);
            factory.destroy();
        }
    }

    private static FrozenHolderProcess start(String backend, String address, String prefix, String logAddress,
            String logKey) {
        try {
            return FrozenHolderProcess.start(ScheduledJobMain.class, backend, address, prefix, logAddress, logKey);
        }
        catch (Exception ex) {
            throw new IllegalStateException("could not start an instance of the scheduled job", ex);
        }
    }

    private static long serverMicros(StringRedisTemplate log) {
        Long micros = log.execute((RedisCallback<Long>) connection -> connection.serverCommands().time(TimeUnit.MICROSECONDS));
        assertThat(micros).as("the log server's TIME").isNotNull();
        return micros;
    }
}
