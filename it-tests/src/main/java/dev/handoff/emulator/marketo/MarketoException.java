package dev.handoff.emulator.marketo;

/**
 * A response-level Marketo error: the request is answered with HTTP 200, {@code success:false}
 * and this code (a quoted number on the wire).
 */
final class MarketoException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    MarketoException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }

    static MarketoException missing(String parameter) {
        return new MarketoException("1002", "Missing value for the required parameter '" + parameter + "'");
    }

    static MarketoException invalid(String value, String type) {
        return new MarketoException("1001", "Invalid value '" + value + "'. Required of type '" + type + "'");
    }

    static MarketoException fieldNotFound(String field) {
        return new MarketoException("1006", "Field '" + field + "' not found");
    }
}
