package dev.handoff.map;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a normalized lead before anything downstream sees it. A lead that fails is quarantined
 * with the reason; its batch goes on without it. Limits are Salesforce's Lead field lengths, so
 * a lead that passes here will not bounce off the CRM for its shape. A text field that a
 * spreadsheet would run as a formula ({@code =cmd|' /C calc'!A0}, {@code @SUM(…)}, {@code +…},
 * {@code -…}, a leading tab or carriage return) is refused too: CRM and MAP reports are exported
 * to spreadsheets, and sales would open them.
 */
public final class LeadValidator {

    /** Why a lead was refused: a stable code and a message that names the field. */
    public record Problem(String code, String message) {
    }

    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$");
    /** A signed number ({@code -5}, {@code +1.5}) is data, not a formula. */
    private static final Pattern SIGNED_NUMBER = Pattern.compile("[+-]\\d+(?:[.,]\\d+)?");
    private static final Map<String, Integer> MAX_LENGTH = Map.of(
            "email", 80, "first_name", 40, "last_name", 80, "company", 255, "title", 128,
            "country", 80, "industry", 255, "lead_source", 255, "campaign", 255);

    public Optional<Problem> check(Map<String, String> fields) {
        for (Map.Entry<String, String> e : fields.entrySet()) {
            Optional<Problem> problem = checkField(e.getKey(), e.getValue());
            if (problem.isPresent()) {
                return problem;
            }
        }
        String email = fields.get("email");
        if (email == null || email.isBlank()) {
            return Optional.of(new Problem("MISSING_EMAIL", "email is missing"));
        }
        if (!EMAIL.matcher(email).matches()) {
            return Optional.of(new Problem("INVALID_EMAIL", "email is not a valid address"));
        }
        return Optional.empty();
    }

    /**
     * One field's value against the rules {@link #check} applies to it: no control characters;
     * for the fields Salesforce stores, no formula trigger and at most its length. Null passes.
     */
    public Optional<Problem> checkField(String name, String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F || ch == '\uFFFE' || ch == '\uFFFF') {
                return Optional.of(new Problem("CONTROL_CHARACTER", name + " contains control character U+"
                        + String.format("%04X", (int) ch) + " at position " + (i + 1)));
            }
        }
        Integer max = MAX_LENGTH.get(name);
        char first = max == null ? 0 : formulaTrigger(value);
        if (first != 0) {
            return Optional.of(new Problem("FORMULA_PREFIX", name + " starts with "
                    + (first == '\t' ? "a tab" : first == '\r' ? "a carriage return" : "'" + first + "'")
                    + ", which spreadsheets run as a formula"));
        }
        if (max != null && value.length() > max) {
            return Optional.of(new Problem("FIELD_TOO_LONG", name + " is " + value.length()
                    + " characters; Salesforce allows " + max));
        }
        return Optional.empty();
    }

    /** The longest value {@link #check} accepts in {@code field}, or -1 when it sets no limit. */
    public static int maxLength(String field) {
        return MAX_LENGTH.getOrDefault(field, -1);
    }

    /**
     * OWASP's CSV-injection triggers: a leading tab or CR, or {@code = @ + -} as the first
     * non-blank character. Returns the trigger, or 0 when the value is safe.
     */
    static char formulaTrigger(String value) {
        if (value.isEmpty()) {
            return 0;
        }
        if (value.charAt(0) == '\t' || value.charAt(0) == '\r') {
            return value.charAt(0);
        }
        String text = value.strip();
        if (text.isEmpty()) {
            return 0;
        }
        char first = text.charAt(0);
        boolean formula = first == '=' || first == '@'
                || ((first == '+' || first == '-') && !SIGNED_NUMBER.matcher(text).matches());
        return formula ? first : 0;
    }
}
