/**
 * Shared counters and unique-id sequences: the {@link dev.ringlock.counter.CounterTemplate} API, the
 * {@link dev.ringlock.counter.Sequence} it hands out, and the {@link dev.ringlock.counter.CounterStore} SPI that
 * each backend implements. Nothing in this package knows a backend.
 */
@NullMarked
package dev.ringlock.counter;

import org.jspecify.annotations.NullMarked;
