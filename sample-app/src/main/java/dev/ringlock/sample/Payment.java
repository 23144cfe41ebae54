package dev.ringlock.sample;

/**
 * What one payment attempt did.
 *
 * @param orderId the order
 * @param fencingToken the token of the lock the attempt ran under
 * @param paid whether this attempt paid the order (false: it was paid already)
 * @param payments how many payments the order has after the attempt
 */
record Payment(String orderId, long fencingToken, boolean paid, long payments) {
}
