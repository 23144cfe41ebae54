package dev.ringlock.redis;

import org.jspecify.annotations.Nullable;

/** A script's answer and how many replicas confirmed the writes before it ({@code WAIT} or {@code WAITAOF}). */
record Replicated<T>(@Nullable T value, long acknowledged) {
}
