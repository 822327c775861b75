package dev.handoff.salesforce;

import dev.handoff.error.ErrorClass;
import java.util.Map;

/** Salesforce fault {@code exceptionCode}s and per-record {@code statusCode}s to what we do about them. */
public final class SalesforceErrorClassifier {

    private static final Map<String, ErrorClass> CODES = Map.ofEntries(
            Map.entry("INVALID_SESSION_ID", ErrorClass.REAUTHENTICATE),
            Map.entry("REQUEST_LIMIT_EXCEEDED", ErrorClass.TRANSIENT),
            Map.entry("SERVER_UNAVAILABLE", ErrorClass.TRANSIENT),
            Map.entry("UNABLE_TO_LOCK_ROW", ErrorClass.TRANSIENT),
            Map.entry("UNKNOWN_EXCEPTION", ErrorClass.TRANSIENT),
            Map.entry("INVALID_QUERY_LOCATOR", ErrorClass.TRANSIENT),
            Map.entry("INVALID_EMAIL_ADDRESS", ErrorClass.PERMANENT_RECORD),
            Map.entry("REQUIRED_FIELD_MISSING", ErrorClass.PERMANENT_RECORD),
            Map.entry("STRING_TOO_LONG", ErrorClass.PERMANENT_RECORD),
            Map.entry("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", ErrorClass.PERMANENT_RECORD),
            Map.entry("FIELD_CUSTOM_VALIDATION_EXCEPTION", ErrorClass.PERMANENT_RECORD),
            Map.entry("DUPLICATES_DETECTED", ErrorClass.PERMANENT_RECORD),
            Map.entry("DUPLICATE_VALUE", ErrorClass.PERMANENT_RECORD),
            Map.entry("DUPLICATE_EXTERNAL_ID", ErrorClass.PERMANENT_RECORD),
            Map.entry("ENTITY_IS_DELETED", ErrorClass.PERMANENT_RECORD),
            Map.entry("INVALID_TYPE_ON_FIELD_IN_RECORD", ErrorClass.PERMANENT_RECORD),
            Map.entry("INVALID_FIELD_FOR_INSERT_UPDATE", ErrorClass.PERMANENT_RECORD),
            Map.entry("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", ErrorClass.PERMANENT_RECORD),
            Map.entry("INVALID_FIELD", ErrorClass.FATAL),
            Map.entry("INVALID_TYPE", ErrorClass.FATAL),
            Map.entry("MALFORMED_QUERY", ErrorClass.FATAL),
            Map.entry("INVALID_LOGIN", ErrorClass.FATAL),
            Map.entry("INSUFFICIENT_ACCESS", ErrorClass.FATAL),
            Map.entry("INSUFFICIENT_ACCESS_OR_READONLY", ErrorClass.PERMANENT_RECORD),
            Map.entry("API_DISABLED_FOR_ORG", ErrorClass.FATAL),
            Map.entry("EXCEEDED_ID_LIMIT", ErrorClass.FATAL));

    private SalesforceErrorClassifier() {
    }

    /**
     * Unknown codes count as permanent for the record: one odd record must not block the others,
     * and it stays visible in the quarantine with its code.
     */
    public static ErrorClass classify(String code) {
        return CODES.getOrDefault(code, ErrorClass.PERMANENT_RECORD);
    }

    /**
     * A trigger failure often wraps a row lock; only then is it worth retrying.
     */
    public static ErrorClass classify(String code, String message) {
        if ("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY".equals(code) && message != null && message.contains("UNABLE_TO_LOCK_ROW")) {
            return ErrorClass.TRANSIENT;
        }
        return classify(code);
    }
}
