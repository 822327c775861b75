package dev.handoff.emulator.hubspot;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request-level failure, answered with {@code status} and HubSpot's error envelope. */
final class HubSpotError extends RuntimeException {

    private final int status;
    private final String category;
    private final Map<String, Object> extra;

    HubSpotError(int status, String category, String message) {
        this(status, category, message, Map.of());
    }

    HubSpotError(int status, String category, String message, Map<String, Object> extra) {
        super(message);
        this.status = status;
        this.category = category;
        this.extra = new LinkedHashMap<>(extra);
    }

    static HubSpotError validation(String message) {
        return new HubSpotError(400, "VALIDATION_ERROR", message);
    }

    int status() {
        return status;
    }

    Map<String, Object> body(String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", getMessage());
        body.put("correlationId", correlationId);
        body.put("category", category);
        body.putAll(extra);
        return body;
    }
}
