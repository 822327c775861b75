package dev.handoff.marketo;

import dev.handoff.error.ErrorClass;
import java.util.Map;

/**
 * Marketo error codes (REST envelope {@code errors[].code} and per-record {@code reasons[].code})
 * to what the connector does about them. Marketo answers HTTP 200 for nearly all of these.
 */
public final class MarketoErrorClassifier {

    private static final Map<String, ErrorClass> CODES = Map.ofEntries(
            Map.entry("502", ErrorClass.TRANSIENT),
            Map.entry("600", ErrorClass.REAUTHENTICATE),
            Map.entry("601", ErrorClass.REAUTHENTICATE),
            Map.entry("602", ErrorClass.REAUTHENTICATE),
            Map.entry("603", ErrorClass.FATAL),
            Map.entry("604", ErrorClass.TRANSIENT),
            Map.entry("605", ErrorClass.FATAL),
            Map.entry("606", ErrorClass.TRANSIENT),
            Map.entry("607", ErrorClass.TRANSIENT),
            Map.entry("608", ErrorClass.TRANSIENT),
            Map.entry("609", ErrorClass.FATAL),
            Map.entry("610", ErrorClass.FATAL),
            Map.entry("611", ErrorClass.TRANSIENT),
            Map.entry("612", ErrorClass.FATAL),
            Map.entry("613", ErrorClass.FATAL),
            Map.entry("614", ErrorClass.TRANSIENT),
            Map.entry("615", ErrorClass.TRANSIENT),
            Map.entry("616", ErrorClass.FATAL),
            Map.entry("701", ErrorClass.PERMANENT_RECORD),
            Map.entry("702", ErrorClass.PERMANENT_RECORD),
            Map.entry("704", ErrorClass.PERMANENT_RECORD),
            Map.entry("709", ErrorClass.PERMANENT_RECORD),
            Map.entry("713", ErrorClass.TRANSIENT),
            Map.entry("719", ErrorClass.TRANSIENT),
            Map.entry("1001", ErrorClass.PERMANENT_RECORD),
            Map.entry("1002", ErrorClass.PERMANENT_RECORD),
            Map.entry("1003", ErrorClass.PERMANENT_RECORD),
            Map.entry("1004", ErrorClass.PERMANENT_RECORD),
            Map.entry("1005", ErrorClass.PERMANENT_RECORD),
            Map.entry("1006", ErrorClass.FATAL),
            Map.entry("1007", ErrorClass.PERMANENT_RECORD),
            Map.entry("1008", ErrorClass.FATAL),
            Map.entry("1009", ErrorClass.FATAL),
            Map.entry("1010", ErrorClass.PERMANENT_RECORD),
            Map.entry("1011", ErrorClass.FATAL),
            Map.entry("1013", ErrorClass.FATAL),
            Map.entry("1015", ErrorClass.PERMANENT_RECORD),
            Map.entry("1016", ErrorClass.TRANSIENT),
            Map.entry("1019", ErrorClass.TRANSIENT),
            Map.entry("1029", ErrorClass.TRANSIENT));

    private MarketoErrorClassifier() {
    }

    /** Unknown codes are treated as fatal: guessing "retry" could hammer a broken call forever. */
    public static ErrorClass classify(String code) {
        return CODES.getOrDefault(code, ErrorClass.FATAL);
    }

    /** HTTP-level statuses seen in normal operation (413 body too large, 414 URI too long, 5xx). */
    public static ErrorClass classifyHttpStatus(int status) {
        if (status == 401) {
            return ErrorClass.REAUTHENTICATE;
        }
        if (status == 429 || status >= 500) {
            return ErrorClass.TRANSIENT;
        }
        return ErrorClass.FATAL;
    }
}
