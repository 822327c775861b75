package dev.handoff.definition;

import java.util.List;
import java.util.Optional;

/**
 * The normalized lead field names a definition may test: the names the MAP field mappings produce
 * (see {@code MarketoConfig}'s defaults) plus {@code email_domain}, which the engine derives from
 * {@code email}. A criterion on any other name could never score, so the loader rejects it.
 */
public final class LeadFields {

    /** Every field name a criterion, disqualifier or required field may use. */
    public static final List<String> KNOWN = List.of("email", "email_domain", "first_name", "last_name", "company", "title",
            "industry", "country", "annual_revenue", "employees", "lead_source", "campaign");

    private LeadFields() {
    }

    public static boolean isKnown(String field) {
        return KNOWN.contains(field);
    }

    /** The known name closest to {@code field} when it looks like a typo of it (few edits apart). */
    public static Optional<String> closest(String field) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : KNOWN) {
            int d = distance(field, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        // beyond about a third of the name the "suggestion" is a different word, which misleads more than it helps
        int allowed = Math.max(2, field.length() / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] prev = new int[y.length() + 1];
        int[] cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}
