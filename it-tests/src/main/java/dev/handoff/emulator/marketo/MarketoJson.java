package dev.handoff.emulator.marketo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON and date conventions shared by every Marketo response. */
final class MarketoJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private MarketoJson() {
    }

    /** Marketo prints lead and activity dates to the second, always in UTC with a Z. */
    static String formatInstant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> success(String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.put("success", true);
        return body;
    }

    static Map<String, Object> failure(String requestId, MarketoException error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("requestId", requestId);
        body.put("success", false);
        body.put("errors", List.of(reason(error.code(), error.getMessage())));
        return body;
    }

    static Map<String, Object> reason(String code, String message) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("code", code);
        r.put("message", message);
        return r;
    }
}
