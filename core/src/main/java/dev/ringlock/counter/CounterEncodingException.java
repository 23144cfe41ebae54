package dev.ringlock.counter;


/**
 * The stored value of a counter is not a counter in the backend's encoding: another program wrote the key
 * or node. The value is never guessed at; fix or delete the key named here.
 */
public class CounterEncodingException extends RuntimeException {

    private final String name;
    private final String key;

    public CounterEncodingException(String name, String key, String problem) {
        super("Counter '" + name + "' is stored at '" + key + "' in an unexpected encoding: " + problem
                + "; another program may have written it; delete it or set the counter to reset it");
        this.name = name;
        this.key = key;
    }

    /** The name of the counter. */
    public String name() {
        return name;
    }

    /** The Redis key or ZooKeeper path that holds the value. */
    public String key() {
        return key;
    }
}
