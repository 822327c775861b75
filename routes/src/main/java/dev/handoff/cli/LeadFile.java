package dev.handoff.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a lead snapshot for {@code handoff explain}:
 * {@code {"id": "1042", "fields": {"email": "…", "annual_revenue": 12000000}, "activities": [{"type": "…", "at": "2026-11-20T10:00:00Z"}]}}.
 *
 * <p>Read with a streaming parser rather than a tree so that every problem, syntax or shape, names
 * the line and column where it is: an admin fixing a hand-written lead file needs the place, not a
 * stack trace. Field values may be JSON strings, numbers or booleans (numbers are kept as written,
 * which is how the engine reads numeric fields); {@code null} means "not filled in".
 */
final class LeadFile {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The lead and its activities, each activity attributed to the lead. */
    record Snapshot(Lead lead, List<Activity> activities) {
    }

    /** A lead file that cannot be used; the message reads {@code <file>:<line>:<column>: <problem>} ({@code <file>: <problem>} when unreadable). */
    static final class InvalidLeadFile extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidLeadFile(Path file, int line, int column, String problem, Throwable cause) {
            super(file + (line > 0 ? ":" + line + ":" + column : "") + ": " + problem, cause);
        }
    }

    private final Path file;
    private JsonParser p;

    private LeadFile(Path file) {
        this.file = file;
    }

    static Snapshot read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidLeadFile(file, 0, 0, "cannot read the lead file (" + e + ")", e);
        }
        LeadFile reader = new LeadFile(file);
        try (JsonParser parser = JSON.createParser(text)) {
            reader.p = parser;
            return reader.snapshot();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String message = e.getOriginalMessage();
            int nl = message == null ? -1 : message.indexOf('\n');
            throw new InvalidLeadFile(file, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr(),
                    "invalid JSON: " + (nl < 0 ? message : message.substring(0, nl)), e);
        } catch (IOException e) {
            throw new InvalidLeadFile(file, 0, 0, "cannot read the lead file (" + e + ")", e);
        }
    }

    private Snapshot snapshot() throws IOException {
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_OBJECT) {
            throw fail("expected a JSON object with \"id\", \"fields\" and \"activities\"");
        }
        JsonLocation start = p.currentTokenLocation();
        String id = "lead";
        Map<String, String> fields = null;
        List<ActivityDoc> activities = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            switch (key) {
                case "id" -> id = id("id");
                case "fields" -> fields = fields();
                case "activities" -> activities = activities();
                default -> throw fail("unknown key '" + key + "' (expected one of: activities, fields, id)");
            }
        }
        if (p.nextToken() != null) {
            throw fail("unexpected content after the lead object");
        }
        if (fields == null) {
            throw new InvalidLeadFile(file, start.getLineNr(), start.getColumnNr(), "\"fields\" is required", null);
        }
        List<Activity> out = new ArrayList<>();
        for (int i = 0; i < activities.size(); i++) {
            ActivityDoc a = activities.get(i);
            out.add(new Activity(a.id == null ? id + "-" + (i + 1) : a.id, id, a.type, a.at));
        }
        return new Snapshot(new Lead(id, fields), List.copyOf(out));
    }

    private String id(String key) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
            String v = p.getText().trim();
            if (!v.isEmpty()) {
                return v;
            }
        }
        throw fail(key + ": expected a non-empty text or whole number");
    }

    private Map<String, String> fields() throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw fail("fields: expected an object of field name to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> out.put(name, p.getText());
                case VALUE_NULL -> {
                    // null is how exports say "not filled in"; the engine treats an absent field the same way
                }
                default -> throw fail("fields." + name + ": expected text, a number, true/false or null");
            }
        }
        return out;
    }

    private record ActivityDoc(String id, String type, Instant at) {
    }

    private List<ActivityDoc> activities() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw fail("activities: expected a list of {\"type\": …, \"at\": …}");
        }
        List<ActivityDoc> out = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String where = "activities[" + i + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw fail(where + ": expected an object {\"type\": …, \"at\": …}");
            }
            JsonLocation start = p.currentTokenLocation();
            String id = null;
            String type = null;
            Instant at = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "id" -> id = id(where + ".id");
                    case "type" -> {
                        if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isBlank()) {
                            throw fail(where + ".type: expected an activity type name, e.g. \"webinar_attended\"");
                        }
                        type = p.getText().trim();
                    }
                    case "at" -> at = instant(where + ".at");
                    default -> throw fail(where + ": unknown key '" + key + "' (expected one of: at, id, type)");
                }
            }
            if (type == null || at == null) {
                throw new InvalidLeadFile(file, start.getLineNr(), start.getColumnNr(),
                        where + ": needs \"type\" and \"at\"", null);
            }
            out.add(new ActivityDoc(id, type, at));
            i++;
        }
        return out;
    }

    private Instant instant(String key) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            Instant parsed = parseInstant(p.getText());
            if (parsed != null) {
                return parsed;
            }
        }
        throw fail(key + ": expected an ISO-8601 time like \"2026-11-20T10:00:00Z\"");
    }

    /** An ISO-8601 instant ({@code …Z}) or date-time with offset; null when neither. */
    static Instant parseInstant(String text) {
        String s = text.trim();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private InvalidLeadFile fail(String problem) {
        JsonLocation loc = p.currentTokenLocation();
        return new InvalidLeadFile(file, loc.getLineNr(), loc.getColumnNr(), problem, null);
    }
}
