package dev.ringlock.autoconfigure;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnBackend}.
 */
final class OnBackendCondition extends SpringBootCondition implements ConfigurationCondition {

    /** Detection looks at bean definitions, so it must wait until the other configurations registered theirs. */
    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnBackend.class.getName());
        String feature = (String) attributes.get("feature");
        RinglockBackend wanted = (RinglockBackend) attributes.get("value");
        RinglockBackend selected = BackendSelection.select(feature, context.getEnvironment(), context.getBeanFactory());
        String message = "Ringlock " + feature + " backend is " + (selected != null ? selected.id() : "not chosen");
        return selected == wanted ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}
