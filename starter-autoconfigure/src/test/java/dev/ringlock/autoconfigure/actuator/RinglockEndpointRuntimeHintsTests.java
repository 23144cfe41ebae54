package dev.ringlock.autoconfigure.actuator;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoint's answer is written as JSON by reflection; Boot's {@code @ReadOperation} registers it, and
 * every type it reaches, for that. So Ringlock registers nothing of its own for the endpoint.
 */
class RinglockEndpointRuntimeHintsTests {

    @Test
    void theReadOperationAndEveryRecordOfItsAnswerAreRegistered() {
        RuntimeHints hints = new RuntimeHints();

        // what Spring's AOT processing runs on every bean class
        new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, RinglockEndpoint.class);

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(RinglockEndpoint.class, "ringlock"))
                .accepts(hints);
        List<Class<?>> records = Arrays.stream(RinglockEndpoint.class.getDeclaredClasses())
                .filter(Class::isRecord).toList();
        assertThat(records).contains(RinglockEndpoint.RinglockDescriptor.class, RinglockEndpoint.Change.class);
        for (Class<?> record : records) {
            for (RecordComponent component : record.getRecordComponents()) {
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
                        .as(record.getSimpleName() + "." + component.getName()).accepts(hints);
            }
        }
    }
}
