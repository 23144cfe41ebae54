package dev.ringlock.leader;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Logs each grant and revoke at INFO, naming the group, the member, the term and the reason, and publishes it
 * as a {@link LeadershipGrantedEvent} or {@link LeadershipRevokedEvent} application event. The application-wide
 * listener of {@link DefaultLeaderElection}.
 */
public final class EventPublishingLeadershipListener implements LeadershipListener {

    private static final Log logger = LogFactory.getLog("dev.ringlock.leader");

    private final ApplicationEventPublisher publisher;

    public EventPublishingLeadershipListener(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void granted(LeadershipGrantedEvent event) {
        logger.info("Member '" + event.memberId() + "' leads group '" + event.group() + "' with term " + event.term());
        publisher.publishEvent(event);
    }

    @Override
    public void revoked(LeadershipRevokedEvent event) {
        logger.info("Member '" + event.memberId() + "' no longer leads group '" + event.group() + "' (term "
                + event.term() + "): " + event.reason());
        publisher.publishEvent(event);
    }
}
