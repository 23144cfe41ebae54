package dev.ringlock.lock;

import dev.ringlock.lock.LockLossListener;
import dev.ringlock.lock.LockLostEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Logs each lost lock at WARN and publishes it as a {@link LockLostEvent} application event.
 */
public final class EventPublishingLockLossListener implements LockLossListener {

    private static final Log logger = LogFactory.getLog("dev.ringlock.lock");

    private final ApplicationEventPublisher publisher;

    public EventPublishingLockLossListener(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void lockLost(LockLostEvent event) {
        logger.warn("Lock '" + event.key() + "' on " + event.backend() + " (fencing token " + event.fencingToken()
                + ") was lost: " + event.reason() + ". Another holder may run now; resources that check fencing "
                + "tokens will refuse this holder's writes.");
        publisher.publishEvent(event);
    }
}
