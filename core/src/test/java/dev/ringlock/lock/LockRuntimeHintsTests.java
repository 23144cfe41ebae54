package dev.ringlock.lock;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LockRuntimeHintsTests {

    @Test
    void reactorCanBeLookedUpByName() {
        RuntimeHints hints = new RuntimeHints();

        new LockRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onType(reactor.core.publisher.Mono.class)).accepts(hints);
    }

    @Test
    void theRegistrarIsListedInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
                .load(RuntimeHintsRegistrar.class)).hasAtLeastOneElementOfType(LockRuntimeHints.class);
    }

    @Test
    void annotatedMethodsOfABeanAreRegisteredForReflection() {
        RuntimeHints hints = new RuntimeHints();

        // what Spring's AOT processing runs on every bean class
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, Shop.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shop.class, "pay")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shop.class, "ship")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Shop.class, "browse")).rejects(hints);
    }

    @Target(java.lang.annotation.ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @DistributedLock(key = "'shipping:' + #orderId")
    @interface ShippingLock {
    }

    static class Shop {

        @DistributedLock(key = "'order:' + #orderId")
        public void pay(String orderId) {
        }

        @ShippingLock
        public void ship(String orderId) {
        }

        public void browse(String orderId) {
        }
    }
}
