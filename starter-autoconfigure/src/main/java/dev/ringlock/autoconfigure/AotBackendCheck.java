package dev.ringlock.autoconfigure;

import java.util.function.Function;

import dev.ringlock.counter.CounterStore;
import dev.ringlock.leader.LeaderElectionProvider;
import dev.ringlock.lock.LockProvider;
import dev.ringlock.ring.Membership;
import dev.ringlock.ring.StaticMembership;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * Fails start-up when an application processed ahead of time (Spring AOT) runs with properties that choose
 * another backend than the one its beans were generated for. AOT evaluates Ringlock's backend conditions when
 * the application is built, so a profile or property that names another backend at run time would otherwise
 * be ignored without a word: locks on ZooKeeper while the operator believes they are on Redis. Without AOT the
 * conditions are evaluated at start-up and always agree, so nothing is checked.
 */
final class AotBackendCheck implements SmartInitializingSingleton {

    private final boolean aotGenerated;
    private final Environment environment;
    private final ListableBeanFactory beanFactory;

    AotBackendCheck(boolean aotGenerated, Environment environment, ListableBeanFactory beanFactory) {
        this.aotGenerated = aotGenerated;
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!aotGenerated) {
            return;
        }
        check(LockAutoConfiguration.FEATURE, LockProvider.class, LockProvider::backend, RinglockBackend.LOCAL.id());
        check(CounterAutoConfiguration.FEATURE, CounterStore.class, CounterStore::backend, RinglockBackend.LOCAL.id());
        check(RingAutoConfiguration.FEATURE, Membership.class, Membership::backend, StaticMembership.BACKEND);
        check(LeaderAutoConfiguration.FEATURE, LeaderElectionProvider.class, LeaderElectionProvider::backend,
                RinglockBackend.LOCAL.id());
    }

    private static boolean isOurs(String backend, String localName) {
        return backend.equals(localName) || backend.equals(RinglockBackend.REDIS.id())
                || backend.equals(RinglockBackend.ZOOKEEPER.id());
    }

    /** {@code localName} is what a bean of the {@code local} backend calls its backend. */
    private <T> void check(String feature, Class<T> type, Function<T, String> backendOf, String localName) {
        RinglockBackend selected = BackendSelection.select(feature, environment, beanFactory);
        T bean = beanFactory.getBeanProvider(type).getIfUnique();
        if (selected == null || bean == null) {
            return;
        }
        String generated = backendOf.apply(bean);
        if (!isOurs(generated, localName)) {
            // a backend of the application's own: our conditions did not choose it, at build time or now
            return;
        }
        String wanted = selected == RinglockBackend.LOCAL ? localName : selected.id();
        if (!generated.equals(wanted)) {
            throw new AotBackendMismatchException(feature, generated, selected);
        }
    }
}
