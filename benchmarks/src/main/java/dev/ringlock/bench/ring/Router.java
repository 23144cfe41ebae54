package dev.ringlock.bench.ring;

/** One contender's consistent-hash lookup: the node that owns a key. */
interface Router {

    String nodeFor(String key);
}
