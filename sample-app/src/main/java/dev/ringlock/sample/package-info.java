/**
 * Ringlock's sample app: orders and payments under distributed locks, counters, and the ring.
 */
@NullMarked
package dev.ringlock.sample;

import org.jspecify.annotations.NullMarked;
