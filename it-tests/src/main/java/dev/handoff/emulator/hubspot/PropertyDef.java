package dev.handoff.emulator.hubspot;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One contact property definition, and the rules for the values it holds. Values are strings on
 * the wire; each type has one canonical stored form so that "did this write change anything" is a
 * plain string comparison.
 */
record PropertyDef(String name, String label, String type, String fieldType, String groupName, String description,
                   List<Option> options, boolean readOnly, boolean calculated, boolean hasUniqueValue,
                   int displayOrder, Instant createdAt, boolean hubspotDefined) {

    static final Set<String> TYPES = Set.of("string", "number", "date", "datetime", "enumeration", "bool");
    static final Map<String, Set<String>> FIELD_TYPES = Map.of(
            "string", Set.of("text", "textarea", "phonenumber", "html", "file"),
            "number", Set.of("number", "calculation_equation"),
            "date", Set.of("date"),
            "datetime", Set.of("date"),
            "enumeration", Set.of("select", "radio", "checkbox", "booleancheckbox"),
            "bool", Set.of("booleancheckbox"));

    record Option(String label, String value, int displayOrder, boolean hidden) {
        Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("label", label);
            o.put("value", value);
            o.put("displayOrder", displayOrder);
            o.put("hidden", hidden);
            return o;
        }
    }

    /** Why a value does not fit the property: the HubSpot validation error code and a message. */
    record Invalid(String code, String message) {
    }

    PropertyDef {
        options = List.copyOf(options);
    }

    static List<Option> options(String... values) {
        List<Option> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new Option(values[i], values[i], i, false));
        }
        return out;
    }

    boolean isDatetime() {
        return type.equals("datetime");
    }

    /** The stored form of a non-empty value, or why it is not valid for this property. */
    Result canonical(String raw) {
        String v = raw.trim();
        switch (type) {
            case "datetime": {
                Optional<Instant> at = parseInstant(v);
                return at.map(i -> Result.ok(HubSpotJson.formatInstant(i))).orElseGet(() -> Result.invalid(
                        "INVALID_DATETIME", raw + " was not a valid datetime (epoch milliseconds or ISO-8601)"));
            }
            case "date": {
                Optional<LocalDate> day = parseDate(v);
                return day.map(d -> Result.ok(d.toString())).orElseGet(() -> Result.invalid("INVALID_DATE",
                        raw + " was not a valid date: use midnight UTC in epoch milliseconds or YYYY-MM-DD"));
            }
            case "number":
                try {
                    BigDecimal n = new BigDecimal(v);
                    return Result.ok(n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString());
                } catch (NumberFormatException e) {
                    return Result.invalid("INVALID_INTEGER", raw + " was not a valid number");
                }
            case "bool":
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return Result.ok(v.toLowerCase(Locale.ROOT));
                }
                return Result.invalid("INVALID_BOOLEAN", raw + " was not a valid boolean (true or false)");
            case "enumeration": {
                List<String> parts = fieldType.equals("checkbox") ? List.of(v.split(";")) : List.of(v);
                for (String part : parts) {
                    if (options.stream().noneMatch(o -> o.value().equals(part))) {
                        return Result.invalid("INVALID_OPTION", raw + " was not one of the allowed options: "
                                + options.stream().map(Option::value).toList());
                    }
                }
                return Result.ok(String.join(";", parts));
            }
            default:
                return Result.ok(raw);
        }
    }

    record Result(String value, Invalid invalid) {
        static Result ok(String value) {
            return new Result(value, null);
        }

        static Result invalid(String code, String message) {
            return new Result(null, new Invalid(code, message));
        }
    }

    /** A key that orders and compares values of this property as HubSpot's search does. */
    @SuppressWarnings({"rawtypes"})
    Comparable key(String value) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case "datetime":
                return parseInstant(value).map(Instant::toEpochMilli).orElse(null);
            case "date":
                return parseDate(value).map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli())
                        .orElse(parseInstant(value).map(Instant::toEpochMilli).orElse(null));
            case "number":
                try {
                    return new BigDecimal(value.trim());
                } catch (NumberFormatException e) {
                    return null;
                }
            default:
                return value.toLowerCase(Locale.ROOT);
        }
    }

    static Optional<Instant> parseInstant(String v) {
        if (v.matches("-?\\d{1,15}")) {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(v)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeException e) {
            // a plain date is midnight UTC
        }
        try {
            return Optional.of(LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LocalDate> parseDate(String v) {
        if (v.matches("-?\\d{1,15}")) {
            Instant at = Instant.ofEpochMilli(Long.parseLong(v));
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            return day.atStartOfDay(ZoneOffset.UTC).toInstant().equals(at) ? Optional.of(day) : Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> p = new LinkedHashMap<>();
        String stamp = HubSpotJson.formatInstant(createdAt);
        p.put("updatedAt", stamp);
        p.put("createdAt", stamp);
        p.put("name", name);
        p.put("label", label);
        p.put("type", type);
        p.put("fieldType", fieldType);
        p.put("description", description);
        p.put("groupName", groupName);
        p.put("options", options.stream().map(Option::toJson).toList());
        p.put("displayOrder", displayOrder);
        p.put("calculated", calculated);
        p.put("externalOptions", false);
        p.put("hasUniqueValue", hasUniqueValue);
        p.put("hidden", false);
        p.put("hubspotDefined", hubspotDefined);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("archivable", !readOnly);
        meta.put("readOnlyDefinition", hubspotDefined);
        meta.put("readOnlyValue", readOnly);
        p.put("modificationMetadata", meta);
        p.put("formField", !readOnly);
        p.put("archived", false);
        return p;
    }
}
