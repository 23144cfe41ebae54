package dev.ringlock.sample;

/**
 * The ledger refused a writer whose fencing token is not newer than the last one it admitted for the order:
 * the writer's lock was taken over by someone else, so its work must be abandoned.
 */
class StaleTokenException extends RuntimeException {

    private final String orderId;

    StaleTokenException(String orderId, long token, long lastAdmitted) {
        super("Fencing token " + token + " for order '" + orderId + "' is stale: the ledger already admitted "
                + lastAdmitted + "; the lock was lost, so the payment is refused");
        this.orderId = orderId;
    }

    String orderId() {
        return orderId;
    }
}
