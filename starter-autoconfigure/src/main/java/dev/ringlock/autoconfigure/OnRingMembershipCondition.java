package dev.ringlock.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnRingMembership}.
 */
final class OnRingMembershipCondition extends SpringBootCondition implements ConfigurationCondition {

    /** Detection looks at bean definitions, so it must wait until the other configurations registered theirs. */
    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        RingMembership wanted = (RingMembership) metadata.getAnnotationAttributes(
                ConditionalOnRingMembership.class.getName()).get("value");
        RingMembership selected = RingMembershipSelection.select(context.getEnvironment(), context.getBeanFactory());
        String message = "Ringlock ring membership is " + (selected != null ? selected.id() : "not chosen");
        return selected == wanted ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}
