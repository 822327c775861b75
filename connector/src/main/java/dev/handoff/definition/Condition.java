package dev.handoff.definition;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The test a fit criterion or disqualifier applies to one lead field, or ({@link All}, {@link Any})
 * to several. Values are compared trimmed and case-insensitively; {@link Matches} is a
 * regular-expression find.
 */
public sealed interface Condition {

    /** Lower-cases and trims a value the way every textual comparison does. */
    static String normalize(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    /** Numeric bands, highest {@code min} first; the first band the value reaches scores its points. */
    record Bands(List<Band> bands) implements Condition {
        public Bands {
            bands = List.copyOf(bands);
            if (bands.isEmpty()) {
                throw new IllegalArgumentException("bands must not be empty");
            }
            for (int i = 1; i < bands.size(); i++) {
                if (!(bands.get(i).min() < bands.get(i - 1).min())) {
                    throw new IllegalArgumentException("band mins must be strictly descending");
                }
                if (bands.get(i).max().isPresent() && bands.get(i).max().getAsDouble() > bands.get(i - 1).min()) {
                    throw new IllegalArgumentException("a band's max must not reach into the band above");
                }
            }
        }
    }

    /**
     * One numeric band: values at or above {@code min}, below {@code max} when set (and below the
     * previous band), score {@code points}. Inside {@link All}/{@link Any} points are 0: a band there
     * only tests that its range is reached.
     */
    record Band(double min, OptionalDouble max, int points) {
        public Band(double min, int points) {
            this(min, OptionalDouble.empty(), points);
        }

        public Band {
            if (Double.isNaN(min) || Double.isInfinite(min)) {
                throw new IllegalArgumentException("min must be a finite number");
            }
            Objects.requireNonNull(max, "max");
            if (max.isPresent() && !(max.getAsDouble() > min)) {
                throw new IllegalArgumentException("max must be above min");
            }
        }

        /** Whether {@code value} lies in this band's own range (ignoring the bands above it). */
        public boolean contains(double value) {
            return value >= min && (max.isEmpty() || value < max.getAsDouble());
        }
    }

    /** One part of {@link All} or {@link Any}: a test of {@code field}, or a nested all/any with an empty field. */
    record Part(String field, Condition condition) {
        public Part {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(condition, "condition");
            boolean composite = condition instanceof All || condition instanceof Any;
            if (composite != field.isEmpty()) {
                throw new IllegalArgumentException("a part tests a field, or nests all/any without a field");
            }
        }
    }

    /** Holds when every part holds. */
    record All(List<Part> parts) implements Condition {
        public All {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("all needs at least one part");
            }
        }
    }

    /** Holds when at least one part holds. */
    record Any(List<Part> parts) implements Condition {
        public Any {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("any needs at least one part");
            }
        }
    }

    /** Whether this is an {@link All} or {@link Any}, which test several fields and so have no field of their own. */
    static boolean isComposite(Condition c) {
        return c instanceof All || c instanceof Any;
    }

    /** The value is one of {@code values}; {@code normalized} holds them trimmed and lower-cased, in file order. */
    record In(List<String> values, Set<String> normalized) implements Condition {
        public In(List<String> values) {
            this(values, normalizeAll(values));
        }

        public In {
            values = List.copyOf(values);
            normalized = Collections.unmodifiableSet(new LinkedHashSet<>(normalized));
        }
    }

    /** The value is in the named list file ({@code lists/<list>.txt} next to the definition); entries in file order. */
    record InList(String list, Set<String> normalized) implements Condition {
        public InList {
            Objects.requireNonNull(list, "list");
            normalized = Collections.unmodifiableSet(new LinkedHashSet<>(normalized));
        }
    }

    /** The value contains a match of {@code pattern}. */
    record Matches(Pattern pattern) implements Condition {
        public Matches {
            Objects.requireNonNull(pattern, "pattern");
        }

        public String regex() {
            return pattern.pattern();
        }
    }

    /** The value equals {@code value}, trimmed and ignoring case. */
    record Equals(String value) implements Condition {
        public Equals {
            Objects.requireNonNull(value, "value");
        }
    }

    /** The field is filled in ({@code present}) or blank ({@code !present}). */
    record Exists(boolean present) implements Condition {
    }

    private static Set<String> normalizeAll(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            out.add(normalize(v));
        }
        return out;
    }
}
