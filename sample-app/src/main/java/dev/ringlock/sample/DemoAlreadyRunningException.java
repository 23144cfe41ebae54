package dev.ringlock.sample;

/**
 * A demo run was asked for while one runs; {@code POST /demo} answers 409.
 */
class DemoAlreadyRunningException extends RuntimeException {

    DemoAlreadyRunningException(DemoStatus running) {
        super("A demo run is in progress (" + running.done() + "/" + running.total()
                + " attempts done); wait for it to finish (GET /demo)");
    }
}
