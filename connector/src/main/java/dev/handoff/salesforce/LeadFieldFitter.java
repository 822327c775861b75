package dev.handoff.salesforce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Fits one Lead's field values to what the org's {@code describeSObject} says before they are
 * sent: free text ({@code string}, {@code textarea}, {@code combobox}) is cut to the field's
 * length, and the truncations are reported so the writer can log them; a value for a restricted
 * picklist that the picklist does not hold, or an over-long value that cannot be cut without
 * changing its meaning (an e-mail address, a picklist value), is a per-lead problem and the lead
 * must not be sent. Fields describe does not know are passed through untouched ({@code handoff
 * check} reports them).
 */
public final class LeadFieldFitter {

    public static final String INVALID_PICKLIST_VALUE = "INVALID_PICKLIST_VALUE";
    public static final String FIELD_TOO_LONG = "FIELD_TOO_LONG";

    private static final Set<String> CUTTABLE = Set.of("string", "textarea", "combobox");

    /** Why a lead cannot be sent as it is. {@code value} is set for picklist problems only. */
    public record Problem(String code, String field, String value, String message) {
    }

    /** A value that was cut: its field and its length before and after. */
    public record Truncation(String field, int originalLength, int length) {
    }

    /**
     * @param fields    the values to send, in input order, truncated where needed
     * @param truncated the fields that were cut, in input order
     * @param problems  why the lead must not be sent; empty when it may
     */
    public record Fitted(Map<String, Object> fields, List<Truncation> truncated, List<Problem> problems) {
        public Fitted {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
            truncated = List.copyOf(truncated);
            problems = List.copyOf(problems);
        }

        public boolean sendable() {
            return problems.isEmpty();
        }

        public Optional<Problem> firstProblem() {
            return problems.stream().findFirst();
        }
    }

    private final SObjectDescription lead;

    public LeadFieldFitter(SObjectDescription lead) {
        this.lead = Objects.requireNonNull(lead, "lead");
    }

    public Fitted fit(Map<String, ?> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Truncation> truncated = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            Optional<SObjectDescription.Field> field = lead.field(name);
            if (!(value instanceof String text) || field.isEmpty()) {
                out.put(name, value);
                continue;
            }
            SObjectDescription.Field f = field.get();
            if (f.isPicklist() && f.restrictedPicklist() && !holds(f, text)) {
                problems.add(new Problem(INVALID_PICKLIST_VALUE, f.name(), text, f.name() + " is a restricted picklist "
                        + "without the value '" + text + "'"));
                out.put(name, value);
                continue;
            }
            if (f.length() > 0 && text.length() > f.length()) {
                if (CUTTABLE.contains(f.type())) {
                    String cut = cut(text, f.length());
                    truncated.add(new Truncation(f.name(), text.length(), cut.length()));
                    out.put(name, cut);
                    continue;
                }
                problems.add(new Problem(FIELD_TOO_LONG, f.name(), null, f.name() + " is " + text.length()
                        + " characters; the " + f.type() + " field holds " + f.length()));
            }
            out.put(name, value);
        }
        return new Fitted(out, truncated, problems);
    }

    /** Multi-select picklists take {@code a;b}: every part must be a value. */
    private static boolean holds(SObjectDescription.Field f, String value) {
        if ("multipicklist".equals(f.type())) {
            for (String part : value.split(";")) {
                if (!f.picklistValues().contains(part)) {
                    return false;
                }
            }
            return true;
        }
        return f.picklistValues().contains(value);
    }

    /** At most {@code max} chars, never splitting a surrogate pair. */
    static String cut(String text, int max) {
        int end = max;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }
}
