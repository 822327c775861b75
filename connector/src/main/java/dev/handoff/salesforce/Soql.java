package dev.handoff.salesforce;

import java.util.Collection;
import java.util.StringJoiner;

/**
 * Builds SOQL literals. Every value that reaches a query goes through {@link #quote}, so no value
 * can close its literal and change the query, whatever it contains.
 */
public final class Soql {

    private Soql() {
    }

    /** A single-quoted SOQL string literal with every character SOQL reserves escaped. */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> b.append("\\'");
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('\'').toString();
    }

    /** {@code ('a', 'b', …)} for an IN clause. */
    public static String inList(Collection<String> values) {
        StringJoiner j = new StringJoiner(", ", "(", ")");
        values.forEach(v -> j.add(quote(v)));
        return j.toString();
    }
}
