package dev.handoff.emulator.salesforce;

/**
 * A whole-call failure, rendered as a SOAP fault whose detail element is bound by WSC to the
 * partner fault class named by {@code detailType} (e.g. {@code UnexpectedErrorFault}).
 */
final class SoapFault extends RuntimeException {

    final String exceptionCode;
    final String detailType;
    /** Row/column for ApiQueryFault subtypes; null for plain ApiFaults. */
    final Integer row;
    final Integer column;

    private SoapFault(String exceptionCode, String message, String detailType, Integer row, Integer column) {
        super(message);
        this.exceptionCode = exceptionCode;
        this.detailType = detailType;
        this.row = row;
        this.column = column;
    }

    static SoapFault unexpected(String code, String message) {
        return new SoapFault(code, message, "UnexpectedErrorFault", null, null);
    }

    static SoapFault login(String message) {
        return new SoapFault("INVALID_LOGIN", message, "LoginFault", null, null);
    }

    static SoapFault invalidQueryLocator(String message) {
        return new SoapFault("INVALID_QUERY_LOCATOR", message, "InvalidQueryLocatorFault", null, null);
    }

    static SoapFault invalidSObject(String message, int row, int column) {
        return new SoapFault("INVALID_TYPE", message, "InvalidSObjectFault", row, column);
    }

    static SoapFault invalidField(String message, int row, int column) {
        return new SoapFault("INVALID_FIELD", message, "InvalidFieldFault", row, column);
    }

    static SoapFault malformedQuery(String message, int row, int column) {
        return new SoapFault("MALFORMED_QUERY", message, "MalformedQueryFault", row, column);
    }

    static SoapFault invalidSession() {
        return unexpected("INVALID_SESSION_ID", "Invalid Session ID found in SessionHeader: Illegal Session");
    }

    String faultString() {
        return exceptionCode + ": " + getMessage();
    }
}
