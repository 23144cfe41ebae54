package dev.ringlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lock holder in another JVM ({@link FrozenHolderMain}) frozen with SIGSTOP for longer than its lease (Redis) or
 * session (ZooKeeper) and then thawed with SIGCONT, per backend and per lock kind: the server has meanwhile let
 * the lock go to a newcomer in this JVM, and the thawed holder must know at once that its lock is no longer valid,
 * before its watchdog or any connection event has told it; the write it makes anyway is refused by the resource,
 * which checks fencing tokens ({@link FencedRedisResource}); then its loss event comes.
 * <ul>
 * <li>WRITE, the mutex: the newcomer is the next holder;</li>
 * <li>READ: the newcomer is a writer, which gets in only once the frozen reader's lease or session has ended;</li>
 * <li>a permit of 2, this JVM holding the other: the newcomer is a third acquirer, waiting because both permits
 * are taken; this JVM's own permit stays valid throughout, since each permit has its own lease.</li>
 * </ul>
 */
@Tag("fault")
public abstract class AbstractFrozenHolderProcessTests {

    protected static final String PREFIX = "ringlock-frozen";

    private static final int PERMITS = 2;

    /** The kind of lock the frozen holder holds, and who comes in when it has lost it. */
    protected enum HeldKind {

        WRITE("acquire"), READ("acquire read"), PERMIT("acquire permit " + PERMITS);

        private final String command;

        HeldKind(String command) {
            this.command = command;
        }

        /** The permit this JVM holds beside the frozen holder: one for PERMIT, none otherwise. */
        List<LockHandle> holdBeside(LockTemplate template, String key) {
            if (this != PERMIT) {
                return List.of();
            }
            return List.of(template.tryAcquirePermit(key, PERMITS, Duration.ZERO).orElseThrow(
                    () -> new AssertionError("the second of " + PERMITS + " permits of '" + key + "' was not free")));
        }

        /** Waits for the lock the frozen holder's loss lets in: a writer for WRITE and READ, a permit for PERMIT. */
        LockHandle newcomer(LockTemplate template, String key, Duration wait) {
            if (this == PERMIT) {
                return template.tryAcquirePermit(key, PERMITS, wait).orElseThrow(
                        () -> new AssertionError("no permit of '" + key + "' was freed within " + wait));
            }
            return template.acquire(key, wait);
        }
    }

    /** {@link FrozenHolderMain}'s arguments for {@code key}, with its fenced resource at {@code resource}. */
    protected abstract String[] holderArguments(String key, String resource);

    /** The lock template of this JVM. */
    protected abstract LockTemplate here();

    /** The Redis server that holds the fenced resource. */
    protected abstract StringRedisTemplate resources();

    /** How long the newcomer may wait: the frozen holder's lease or session, and room for a loaded machine. */
    protected abstract Duration newcomerWait();

    @ParameterizedTest(name = "{0}")
    @EnumSource(HeldKind.class)
    void thawedHolderKnowsAtOnceThatItsLockIsInvalidAndItsWriteIsRefused(HeldKind kind) throws Exception {
        String key = "frozen-" + UUID.randomUUID();
        String resource = "resource-" + UUID.randomUUID();
        StringRedisTemplate redis = resources();
        List<LockHandle> ours = new ArrayList<>();
        try (FrozenHolderProcess holder = FrozenHolderProcess.start(holderArguments(key, resource))) {
            long oldToken = holder.acquire(kind.command);
            assertThat(holder.send("write")).isEqualTo("valid=true lost=0 write=accepted");
            ours.addAll(kind.holdBeside(here(), key));

            holder.signal("STOP");
            // the frozen holder cannot renew: the server ends its lease or session, and the newcomer gets in
            try (LockHandle newer = kind.newcomer(here(), key, newcomerWait())) {
                assertThat(newer.fencingToken()).isGreaterThan(oldToken);
                assertThat(FencedRedisResource.write(redis, resource, newer.fencingToken(), "written here")).isTrue();
                assertStillValid(ours, "after the newcomer got in");

                holder.sendWithoutAnswer("write"); // waits in the pipe, read the moment the holder thaws
                holder.signal("CONT");
                // invalid by its own clock alone: nothing had told it yet (lost=0 in nearly every run; a watchdog
                // or connection event that raced ahead would make it 1, which is no less correct)
                assertThat(holder.answer()).startsWith("valid=false").endsWith("write=rejected");
                assertThat(FencedRedisResource.value(redis, resource)).isEqualTo("written here");

                // its watchdog (Redis) or client (ZooKeeper) then learns that the lock is gone and reports the loss
                await().atMost(Duration.ofSeconds(20)).until(() -> holder.send("status").equals("valid=false lost=1"));
                assertStillValid(ours, "after the thawed holder learnt of its loss");
                assertThat(holder.send("exit")).isEqualTo("bye");
                assertThat(holder.awaitExit()).isTrue();
                assertThat(newer.isValid()).as("the thawed holder's release left our lock alone").isTrue();
                assertStillValid(ours, "after the thawed holder released");
            }
        }
        finally {
            ours.forEach(LockHandle::close);
        }
    }

    private static void assertStillValid(List<LockHandle> ours, String when) {
        assertThat(ours).as("this JVM's own permit %s", when).allMatch(LockHandle::isValid);
    }
}
