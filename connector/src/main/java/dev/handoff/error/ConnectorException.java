package dev.handoff.error;

/**
 * A call to a target system failed as a whole. Carries the system, the vendor's code and its
 * class so the route decides between retry and alert without parsing messages.
 */
public class ConnectorException extends RuntimeException {

    private final String system;
    private final String code;
    private final ErrorClass errorClass;

    public ConnectorException(String system, String code, ErrorClass errorClass, String message, Throwable cause) {
        super(system + " " + code + " (" + errorClass + "): " + message, cause);
        this.system = system;
        this.code = code;
        this.errorClass = errorClass;
    }

    public String system() {
        return system;
    }

    public String code() {
        return code;
    }

    public ErrorClass errorClass() {
        return errorClass;
    }

    public boolean isTransient() {
        return errorClass == ErrorClass.TRANSIENT;
    }
}
