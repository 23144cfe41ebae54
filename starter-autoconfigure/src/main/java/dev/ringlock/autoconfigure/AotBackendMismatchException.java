package dev.ringlock.autoconfigure;

/**
 * An application processed ahead of time (Spring AOT) runs with properties that choose another backend for a
 * feature than the one its beans were generated for.
 */
public class AotBackendMismatchException extends IllegalStateException {

    private final String feature;
    private final String generatedBackend;
    private final RinglockBackend selectedBackend;

    public AotBackendMismatchException(String feature, String generatedBackend, RinglockBackend selectedBackend) {
        super("Ringlock " + feature + " runs on " + generatedBackend + ", the backend this application was processed "
                + "ahead of time (AOT) with, but its properties now choose " + selectedBackend.id());
        this.feature = feature;
        this.generatedBackend = generatedBackend;
        this.selectedBackend = selectedBackend;
    }

    /** The feature: {@code lock}, {@code counter} or {@code ring}. */
    public String feature() {
        return feature;
    }

    /** The backend of the beans AOT generated, as their {@code backend()} names it. */
    public String generatedBackend() {
        return generatedBackend;
    }

    /** The backend the properties choose at run time. */
    public RinglockBackend selectedBackend() {
        return selectedBackend;
    }
}
