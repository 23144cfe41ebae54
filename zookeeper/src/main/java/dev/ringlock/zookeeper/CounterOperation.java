package dev.ringlock.zookeeper;

import dev.ringlock.counter.CounterNames;

/**
 * An update of a ZooKeeper counter, applied to the value in a batch of updates: its result, and the value after
 * it.
 */
sealed interface CounterOperation {

    /** The result, or the exception the caller gets; an exception leaves the value unchanged. */
    Object apply(String name, long value);

    long valueAfter(long value, Object result);

    record Add(long delta) implements CounterOperation {

        @Override
        public Object apply(String name, long value) {
            try {
                return Math.addExact(value, delta);
            }
            catch (ArithmeticException ex) {
                return CounterNames.overflow(name, "adding " + delta + " to " + value);
            }
        }

        @Override
        public long valueAfter(long value, Object result) {
            return result instanceof Long updated ? updated : value;
        }
    }

    record CompareAndSet(long expect, long update) implements CounterOperation {

        @Override
        public Object apply(String name, long value) {
            return value == expect;
        }

        @Override
        public long valueAfter(long value, Object result) {
            return Boolean.TRUE.equals(result) ? update : value;
        }
    }

    record SetValue(long value) implements CounterOperation {

        @Override
        public Object apply(String name, long current) {
            return Boolean.TRUE;
        }

        @Override
        public long valueAfter(long current, Object result) {
            return value;
        }
    }
}
