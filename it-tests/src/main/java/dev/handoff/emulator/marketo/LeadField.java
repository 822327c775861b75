package dev.handoff.emulator.marketo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lead schema of the emulated instance: the standard fields a connector maps plus the
 * custom fields Handoff writes feedback to. Values are kept in one canonical Java type per data
 * type so that "did this value really change" is a plain equals, as Marketo only logs a Change
 * Data Value activity for real changes.
 */
record LeadField(int id, String name, String displayName, String dataType, Integer length, boolean readOnly,
                 boolean filterable) {

    static final List<LeadField> ALL = List.of(
            new LeadField(1, "id", "Id", "integer", null, true, true),
            new LeadField(2, "email", "Email Address", "email", 255, false, true),
            new LeadField(3, "firstName", "First Name", "string", 255, false, false),
            new LeadField(4, "lastName", "Last Name", "string", 255, false, false),
            new LeadField(5, "company", "Company Name", "string", 255, false, false),
            new LeadField(6, "title", "Job Title", "string", 255, false, false),
            new LeadField(7, "industry", "Industry", "string", 255, false, false),
            new LeadField(8, "country", "Country", "string", 255, false, false),
            new LeadField(9, "annualRevenue", "Annual Revenue", "currency", null, false, false),
            new LeadField(10, "numberOfEmployees", "Num Employees", "integer", null, false, false),
            new LeadField(11, "leadSource", "Lead Source", "string", 255, false, false),
            new LeadField(12, "createdAt", "Created At", "datetime", null, true, false),
            new LeadField(13, "updatedAt", "Updated At", "datetime", null, true, false),
            new LeadField(14, "acquisitionProgramId", "Acquisition Program Id", "integer", null, false, false),
            // Custom fields: Marketo allows filterType on custom string/email/integer fields only.
            new LeadField(1001, "handoffSalesStatus", "Handoff Sales Status", "string", 255, false, true),
            new LeadField(1002, "handoffRejectReason", "Handoff Reject Reason", "string", 255, false, true),
            new LeadField(1003, "handoffRejectComment", "Handoff Reject Comment", "text", null, false, false),
            new LeadField(1004, "handoffAcceptedAt", "Handoff Accepted At", "datetime", null, false, false),
            new LeadField(1005, "handoffSalesOwner", "Handoff Sales Owner", "string", 255, false, true),
            new LeadField(1006, "handoffOutcome", "Handoff Outcome", "string", 255, false, true),
            new LeadField(1007, "handoffOutcomeAmount", "Handoff Outcome Amount", "currency", null, false, false),
            new LeadField(1008, "handoffDisqualified", "Handoff Disqualified", "boolean", null, false, false),
            new LeadField(1009, "handoffSlaBreached", "Handoff SLA Breached", "boolean", null, false, false));

    static final List<String> DEFAULT_FIELDS = List.of("id", "email", "updatedAt", "createdAt", "firstName", "lastName");

    private static final Map<String, LeadField> BY_NAME = new LinkedHashMap<>();

    static {
        ALL.forEach(f -> BY_NAME.put(f.name(), f));
    }

    static Optional<LeadField> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * Converts a value from a request (or from the demo generator) to the stored type.
     *
     * @throws IllegalArgumentException when the value does not fit the field's data type
     */
    Object canonical(Object value) {
        if (value == null) {
            return null;
        }
        switch (dataType) {
            case "integer":
                if (value instanceof Number n && new BigDecimal(n.toString()).stripTrailingZeros().scale() <= 0) {
                    return n.longValue();
                }
                if (value instanceof String s) {
                    try {
                        return Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(s, e);
                    }
                }
                throw new IllegalArgumentException(String.valueOf(value));
            case "currency":
                try {
                    BigDecimal d = new BigDecimal(value.toString().trim());
                    // A negative scale would serialise as 5E+7; Marketo prints plain numbers.
                    return d.scale() < 0 ? d.setScale(0) : d;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(String.valueOf(value), e);
                }
            case "datetime":
                if (value instanceof Instant i) {
                    return MarketoJson.formatInstant(i);
                }
                try {
                    return MarketoJson.formatInstant(OffsetDateTime.parse(value.toString()).toInstant());
                } catch (DateTimeParseException e) {
                    try {
                        return MarketoJson.formatInstant(Instant.parse(value.toString()));
                    } catch (DateTimeParseException e2) {
                        throw new IllegalArgumentException(String.valueOf(value), e2);
                    }
                }
            case "boolean":
                if (value instanceof Boolean b) {
                    return b;
                }
                if (value instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s.trim());
                }
                throw new IllegalArgumentException(String.valueOf(value));
            default:
                if (value instanceof Map || value instanceof List) {
                    throw new IllegalArgumentException(String.valueOf(value));
                }
                return value.toString();
        }
    }

    /** The name the SOAP API uses for the same field (Marketo's describe reports both). */
    String soapName() {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
