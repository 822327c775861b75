package dev.handoff.definition;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A score threshold written {@code ">= 40"} or {@code "> 40"}. */
public record Threshold(Op op, int value) {

    private static final Pattern SYNTAX = Pattern.compile("\\s*(>=|>|≥)\\s*(-?\\d+)\\s*");

    public enum Op {
        AT_LEAST(">=", "≥"), MORE_THAN(">", ">");

        private final String symbol;
        private final String display;

        Op(String symbol, String display) {
            this.symbol = symbol;
            this.display = display;
        }

        public String symbol() {
            return symbol;
        }

        /** The symbol as shown to people ({@code ≥} for at least). */
        public String display() {
            return display;
        }
    }

    public Threshold {
        Objects.requireNonNull(op, "op");
    }

    /** Parses {@code ">= 40"} or {@code "> 40"}; throws IllegalArgumentException otherwise. */
    public static Threshold parse(String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expected \">= N\" or \"> N\" with a whole number N, got \"" + text + "\"");
        }
        Op op = m.group(1).equals(">") ? Op.MORE_THAN : Op.AT_LEAST;
        return new Threshold(op, Integer.parseInt(m.group(2)));
    }

    public boolean test(int score) {
        return op == Op.AT_LEAST ? score >= value : score > value;
    }

    @Override
    public String toString() {
        return op.symbol + " " + value;
    }
}
