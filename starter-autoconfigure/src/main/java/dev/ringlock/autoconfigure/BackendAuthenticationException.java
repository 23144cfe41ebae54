package dev.ringlock.autoconfigure;

/**
 * The chosen backend answered at start-up but refused Ringlock's credentials; {@link #property()} names the
 * properties that set them.
 */
public class BackendAuthenticationException extends BackendStartupException {

    public BackendAuthenticationException(RinglockBackend backend, String address, String property, String problem,
            Throwable cause) {
        super("log in to", backend, address, property, problem, cause);
    }
}
