package dev.ringlock.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-over offer between a releasing holder and a waiter: exactly one side ends up responsible for a lock
 * that was handed over, whatever the order of their steps.
 */
class HandOverTests {

    private final HandOver offer = new HandOver("waiter-owner", 30_000, 0);

    @Test
    void aCompletedHandOverIsTakenOnceWithItsTokenAndSendTime() {
        assertThat(offer.claim()).isTrue();
        assertThat(offer.claim()).as("one releaser at a time").isFalse();
        assertThat(offer.claimed()).isTrue();
        assertThat(offer.complete(42, 1_000)).isTrue();
        assertThat(offer.take()).isTrue();
        assertThat(offer.token()).isEqualTo(42);
        assertThat(offer.sentAtNanos()).isEqualTo(1_000);
        assertThat(offer.take()).as("taken once").isFalse();
        assertThat(offer.close()).as("nothing left to release").isFalse();
    }

    @Test
    void aHandOverCompletedAfterTheWaiterLeftIsTheReleasersToUndo() {
        assertThat(offer.claim()).isTrue();
        assertThat(offer.close()).as("the waiter leaves with nothing handed over yet").isFalse();
        assertThat(offer.complete(42, 1_000)).as("the releaser must release the lock it handed over").isFalse();
        assertThat(offer.take()).isFalse();
    }

    @Test
    void aHandOverCompletedButNotTakenIsTheWaitersToUndo() {
        assertThat(offer.claim()).isTrue();
        assertThat(offer.complete(42, 1_000)).isTrue();
        assertThat(offer.close()).as("the waiter must release the lock handed to it").isTrue();
    }

    @Test
    void aFailedHandOverOpensTheOfferAgain() {
        assertThat(offer.claim()).isTrue();
        offer.reopen();
        assertThat(offer.claimed()).isFalse();
        assertThat(offer.take()).isFalse();
        assertThat(offer.claim()).as("another releaser may try").isTrue();
    }

    @Test
    void aClosedOfferIsNeverClaimed() {
        offer.close();
        assertThat(offer.claim()).isFalse();
    }
}
