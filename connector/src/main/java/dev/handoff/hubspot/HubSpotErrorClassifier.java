package dev.handoff.hubspot;

import dev.handoff.error.ErrorClass;
import java.util.Map;

/**
 * HubSpot errors to what the connector does about them: whole calls by HTTP status, single inputs
 * of a batch (207 {@code errors[]}) by {@code category}.
 */
public final class HubSpotErrorClassifier {

    private static final Map<String, ErrorClass> CATEGORIES = Map.ofEntries(
            Map.entry("OBJECT_NOT_FOUND", ErrorClass.PERMANENT_RECORD),
            Map.entry("VALIDATION_ERROR", ErrorClass.PERMANENT_RECORD),
            Map.entry("INVALID_EMAIL", ErrorClass.PERMANENT_RECORD),
            Map.entry("CONFLICT", ErrorClass.PERMANENT_RECORD),
            // A feedback property missing is the admin's to fix (handoff setup hubspot), for every lead alike.
            Map.entry("PROPERTY_DOESNT_EXIST", ErrorClass.FATAL),
            Map.entry("READ_ONLY_VALUE", ErrorClass.FATAL),
            Map.entry("INVALID_AUTHENTICATION", ErrorClass.FATAL),
            Map.entry("MISSING_SCOPES", ErrorClass.FATAL),
            Map.entry("RATE_LIMITS", ErrorClass.TRANSIENT),
            Map.entry("RATE_LIMIT", ErrorClass.TRANSIENT),
            Map.entry("LOCKED", ErrorClass.TRANSIENT),
            Map.entry("INTERNAL_ERROR", ErrorClass.TRANSIENT),
            Map.entry("SERVICE_UNAVAILABLE", ErrorClass.TRANSIENT));

    private HubSpotErrorClassifier() {
    }

    /**
     * A whole call that did not succeed. 401 is fatal, not "refresh": a private app token does not
     * expire, and HubSpot itself says a 401 is no reliable refresh signal. 404 and 409 on a whole
     * call mean a wrong base URL or a client bug; the client handles the 404/409 it expects itself.
     */
    public static ErrorClass classifyStatus(int status) {
        if (status == 429 || status == 408 || status >= 500) {
            return ErrorClass.TRANSIENT;
        }
        return ErrorClass.FATAL;
    }

    /**
     * One failed input of a batch. Unknown categories stay with their record (quarantined with the
     * category, replayable) rather than stopping every other lead.
     */
    public static ErrorClass classifyCategory(String category) {
        return category == null ? ErrorClass.PERMANENT_RECORD : CATEGORIES.getOrDefault(category, ErrorClass.PERMANENT_RECORD);
    }
}
