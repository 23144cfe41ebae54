package dev.ringlock.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ringlock.TestClients;
import dev.ringlock.lock.DefaultLockTemplate;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostPolicy;
import dev.ringlock.testsupport.RedisTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lock holder in another JVM ({@link FrozenHolderMain}) frozen with SIGSTOP for longer than its lease and
 * then thawed with SIGCONT: the lock has meanwhile gone to a holder in this JVM, and the thawed holder must
 * know at once that its lock is no longer valid, before its watchdog has run; the write it makes anyway is
 * refused by the resource, which checks fencing tokens.
 */
@Tag("fault")
class RedisFrozenHolderProcessTest {

    private static final String PREFIX = "ringlock-frozen";
    private static final Duration LEASE = Duration.ofSeconds(1);

    private static RedisTestServer server;
    private static ScheduledExecutorService scheduler;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;

    @BeforeAll
    static void startServer() {
        server = RedisTestServer.create();
        scheduler = Executors.newScheduledThreadPool(1);
        factory = TestClients.redis(server.host(), server.port());
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void stopServer() {
        if (factory != null) {
            factory.destroy();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thawedHolderKnowsAtOnceThatItsLockIsInvalidAndItsWriteIsRefused() throws Exception {
        String key = "frozen-" + UUID.randomUUID();
        String resource = "resource-" + UUID.randomUUID();
        RedisKeyspace keyspace = new RedisKeyspace(PREFIX);
        RedisLockProvider provider = new RedisLockProvider(factory, keyspace, scheduler, LockLossListener.NONE,
                Duration.ofMillis(200));
        provider.afterPropertiesSet();
        DefaultLockTemplate here = new DefaultLockTemplate(provider, Duration.ofSeconds(30), LockLostPolicy.THROW);

        try (HolderProcess holder = HolderProcess.start(key, resource)) {
            long oldToken = Long.parseLong(holder.send("acquire").substring("acquired ".length()));
            assertThat(holder.send("write")).isEqualTo("valid=true lost=0 write=accepted");

            holder.signal("STOP");
            // the frozen holder cannot renew: the server lets its lease run out, and the lock goes to us
            await().atMost(LEASE.multipliedBy(5)).until(() -> !redis.hasKey(keyspace.lockKey(key)));
            try (LockHandle newer = here.acquire(key, Duration.ofSeconds(10))) {
                assertThat(newer.fencingToken()).isGreaterThan(oldToken);
                assertThat(FencedRedisResource.write(redis, resource, newer.fencingToken(), "written here")).isTrue();

                holder.sendWithoutAnswer("write"); // waits in the pipe, read the moment the holder thaws
                holder.signal("CONT");
                String thawed = holder.answer();
                // invalid by its own clock alone: no renewal had told it yet (lost=0 in nearly every run; a
                // watchdog that raced ahead would make it 1, which is no less correct)
                assertThat(thawed).startsWith("valid=false").endsWith("write=rejected");
                assertThat(FencedRedisResource.value(redis, resource)).isEqualTo("written here");

                // its watchdog then finds the lock gone and reports the loss
                await().atMost(Duration.ofSeconds(10)).until(() -> holder.send("status").equals("valid=false lost=1"));
                assertThat(holder.send("exit")).isEqualTo("bye");
                assertThat(holder.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(newer.isValid()).as("the thawed holder's release left our lock alone").isTrue();
            }
        }
        finally {
            provider.destroy();
        }
    }

    /** The other JVM: {@link FrozenHolderMain}, driven over its stdin and stdout. */
    private static final class HolderProcess implements AutoCloseable {

        private final Process process;
        private final Writer commands;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

        private HolderProcess(Process process) {
            this.process = process;
            this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::readAnswers, "frozen-holder-output");
            reader.setDaemon(true);
            reader.start();
        }

        static HolderProcess start(String key, String resource) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), FrozenHolderMain.class.getName(), server.host(),
                    Integer.toString(server.port()), PREFIX, key, Long.toString(LEASE.toMillis()), resource)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            HolderProcess holder = new HolderProcess(process);
            assertThat(holder.answer()).isEqualTo("ready");
            return holder;
        }

        String send(String command) throws Exception {
            sendWithoutAnswer(command);
            return answer();
        }

        void sendWithoutAnswer(String command) throws IOException {
            commands.write(command + "\n");
            commands.flush();
        }

        String answer() throws InterruptedException {
            String answer = answers.poll(60, TimeUnit.SECONDS);
            assertThat(answer).as("answer from the holder process").isNotNull();
            return answer;
        }

        void signal(String signal) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
        }

        private void readAnswers() {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(FrozenHolderMain.ANSWER)) {
                        answers.add(line.substring(FrozenHolderMain.ANSWER.length()));
                    }
                }
            }
            catch (IOException ignore) {
                // the process ended
            }
        }

        @Override
        public void close() {
            process.destroyForcibly(); // SIGKILL ends a stopped process too
        }
    }
}
