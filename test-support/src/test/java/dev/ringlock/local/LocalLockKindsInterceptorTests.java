package dev.ringlock.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ringlock.lock.DistributedLock;
import dev.ringlock.lock.DistributedLockAdvisor;
import dev.ringlock.lock.DistributedLockInterceptor;
import dev.ringlock.lock.InvalidLockDeclarationException;
import dev.ringlock.lock.LockContext;
import dev.ringlock.lock.LockHandle;
import dev.ringlock.lock.LockKeyEvaluationException;
import dev.ringlock.lock.LockMode;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.lock.MultiLockHandle;
import dev.ringlock.testsupport.contract.AbstractLockProviderTests;
import dev.ringlock.testsupport.contract.LockProviderFixture;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @DistributedLock(mode, permits)} and key expressions giving several keys, on {@link LocalLockProvider},
 * the one backend with READ and permit locks so far; and {@link LockContext#current(String)}.
 */
class LocalLockKindsInterceptorTests extends AbstractLockProviderTests {

    private final LocalLockClients clients = new LocalLockClients();

    @Override
    protected LockProviderFixture fixture() {
        return clients;
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(T target, LockProvider client) {
        DistributedLockInterceptor interceptor = new DistributedLockInterceptor(template(client), Duration.ofSeconds(5), null);
        ProxyFactory factory = new ProxyFactory(target);
        factory.setProxyTargetClass(true);
        factory.addAdvisor(new DistributedLockAdvisor(interceptor));
        return (T) factory.getProxy();
    }

    static class KindsService {

        @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "0s")
        public long read(String key, Runnable inside) {
            inside.run();
            return LockContext.current().orElseThrow().fencingToken();
        }

        @DistributedLock(key = "#key", permits = 2, waitTime = "0s")
        public long permit(String key, Runnable inside) {
            inside.run();
            return LockContext.current().orElseThrow().fencingToken();
        }

        @DistributedLock(key = "#keys", waitTime = "0s")
        public List<Long> all(Object keys, String probe) {
            LockHandle current = LockContext.current().orElseThrow();
            assertThat(current).isInstanceOf(MultiLockHandle.class);
            return List.of(current.fencingToken(), LockContext.current(probe).orElseThrow().fencingToken());
        }
    }

    static class Upgrading {
        Upgrading self;

        @DistributedLock(key = "#key", mode = LockMode.READ, waitTime = "0s")
        public void read(String key) {
            self.write(key);
        }

        @DistributedLock(key = "#key", waitTime = "0s")
        public void write(String key) {
        }
    }

    static class ZeroPermits {
        @DistributedLock(key = "#key", permits = 0)
        public void call(String key) {
        }
    }

    static class ReadWithPermits {
        @DistributedLock(key = "#key", mode = LockMode.READ, permits = 2)
        public void call(String key) {
        }
    }

    static class TwoCountsForOneLiteralKey {
        @DistributedLock(key = "'reports'", permits = 2)
        public void two() {
        }

        @DistributedLock(key = "'reports'", permits = 3)
        public void three() {
        }
    }

    @Test
    void readMethodsShareTheKeyAndPermitMethodsAdmitTheirNumber() throws Exception {
        KindsService service = proxy(new KindsService(), newClient());
        String key = key("shared");
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread first = new Thread(() -> service.read(key, () -> {
            inside.countDown();
            await(leave);
        }));
        first.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(service.read(key, () -> { })).as("a second reader goes in at once").isPositive();
        assertHeldElsewhere(newClient(), key);
        leave.countDown();
        first.join();

        String permits = key("permits");
        long outer = service.permit(permits, () -> assertThat(service.permit(permits, () -> { })).isPositive());
        assertThat(outer).isPositive();
    }

    @Test
    void aCollectionOrArrayKeyLocksEveryKeyAndLockContextFindsEach() {
        KindsService service = proxy(new KindsService(), newClient());
        String a = key("a");
        String b = key("b");
        List<Long> tokens = service.all(List.of(b, a, b), a);
        assertThat(tokens.get(0)).as("the composite token is the largest").isGreaterThan(tokens.get(1));
        assertThat(service.all(new String[] {a, b}, b).get(1)).isPositive();
        assertFree(newClient(), a);
        assertFree(newClient(), b);
        assertThatThrownBy(() -> service.all(List.of(), a)).isInstanceOf(LockKeyEvaluationException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> service.all(java.util.Arrays.asList(a, null), a))
                .isInstanceOf(LockKeyEvaluationException.class).hasMessageContaining("null");
    }

    @Test
    void aWriteCallInsideAReadLockOfTheSameKeyIsRefusedNamingTheKey() {
        Upgrading target = new Upgrading();
        Upgrading service = proxy(target, newClient());
        target.self = service;
        String key = key("upgrade");
        assertThatThrownBy(() -> service.read(key)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key).hasMessageContaining("READ");
        assertFree(newClient(), key);
    }

    /** Refused when the proxy is made (start-up), or at the first call of a method matched lazily. */
    @Test
    void badKindDeclarationsAreRefusedNamingTheAttribute() {
        assertThat(declarationError(() -> proxy(new ZeroPermits(), newClient()).call("k")))
                .hasMessageContaining("'permits'");
        assertThat(declarationError(() -> proxy(new ReadWithPermits(), newClient()).call("k")))
                .hasMessageContaining("'permits'").hasMessageContaining("READ");
        assertThat(declarationError(() -> {
            TwoCountsForOneLiteralKey twoCounts = proxy(new TwoCountsForOneLiteralKey(), newClient());
            twoCounts.two();
            twoCounts.three();
        })).hasMessageContaining("'reports'").hasMessageContaining("'permits'");
    }

    private static Throwable declarationError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof InvalidLockDeclarationException) {
                return t;
            }
        }
        throw new AssertionError("expected an InvalidLockDeclarationException, got " + thrown, thrown);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

}
