package dev.handoff.engine;

import dev.handoff.definition.Condition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fit criterion or disqualifier prepared for fast evaluation: regex compiled, values in a
 * {@link TextSet}, band limits in arrays, the parts of all/any compiled the same way. Also renders
 * why a value did or did not match, for explanations.
 */
final class CompiledCheck {

    static final int BANDS = 0;
    static final int IN = 1;
    static final int MATCHES = 2;
    static final int EQUALS = 3;
    static final int EXISTS = 4;
    static final int ALL = 5;
    static final int ANY = 6;

    /** Returned by {@link #score} when the check does not match. */
    static final int MISS = Integer.MIN_VALUE;

    final String id;
    final String field;
    final boolean emailDomain;
    final int kind;
    final int points;
    private final double[] mins;
    /** Exclusive upper limit per band; +infinity when the band has no max. */
    private final double[] maxes;
    private final int[] bandPoints;
    private final TextSet values;
    private final String listName;
    private final Pattern pattern;
    /** One matcher per thread, reused: a fresh Matcher per lead was most of what evaluating allocated. */
    private final ThreadLocal<Matcher> matcher;
    private final String equalsValue;
    private final boolean present;
    /** The parts of all/any, each a check of its own field (or a nested all/any); null for other kinds. */
    private final CompiledCheck[] parts;

    CompiledCheck(String id, String field, Condition condition, int points) {
        this.id = id;
        this.field = field;
        this.emailDomain = QualificationEngine.EMAIL_DOMAIN.equals(field);
        this.points = points;
        double[] m = null;
        double[] mx = null;
        int[] bp = null;
        CompiledCheck[] ps = null;
        TextSet vs = null;
        String list = null;
        Pattern p = null;
        String eq = null;
        boolean pr = false;
        if (condition instanceof Condition.Bands b) {
            kind = BANDS;
            List<Condition.Band> bands = b.bands();
            m = new double[bands.size()];
            mx = new double[bands.size()];
            bp = new int[bands.size()];
            for (int i = 0; i < m.length; i++) {
                m[i] = bands.get(i).min();
                mx[i] = bands.get(i).max().orElse(Double.POSITIVE_INFINITY);
                bp[i] = bands.get(i).points();
            }
        } else if (condition instanceof Condition.All all) {
            kind = ALL;
            ps = compile(id, all.parts());
        } else if (condition instanceof Condition.Any any) {
            kind = ANY;
            ps = compile(id, any.parts());
        } else if (condition instanceof Condition.In in) {
            kind = IN;
            vs = new TextSet(in.normalized());
        } else if (condition instanceof Condition.InList in) {
            kind = IN;
            vs = new TextSet(in.normalized());
            list = in.list();
        } else if (condition instanceof Condition.Matches mt) {
            kind = MATCHES;
            p = mt.pattern();
        } else if (condition instanceof Condition.Equals e) {
            kind = EQUALS;
            eq = e.value().trim();
        } else {
            kind = EXISTS;
            pr = ((Condition.Exists) condition).present();
        }
        this.mins = m;
        this.maxes = mx;
        this.parts = ps;
        this.bandPoints = bp;
        this.values = vs;
        this.listName = list;
        this.pattern = p;
        this.matcher = p == null ? null : ThreadLocal.withInitial(() -> pattern.matcher(""));
        this.equalsValue = eq;
        this.present = pr;
    }

    private static CompiledCheck[] compile(String id, List<Condition.Part> parts) {
        CompiledCheck[] out = new CompiledCheck[parts.size()];
        for (int i = 0; i < out.length; i++) {
            Condition.Part p = parts.get(i);
            out[i] = new CompiledCheck(id, p.field(), p.condition(), 0);
        }
        return out;
    }

    /** Whether this is all/any, which reads its parts' fields from the lead rather than one value. */
    boolean composite() {
        return parts != null;
    }

    /**
     * Points this check gives, or {@link #MISS}: from {@code value} (this check's field, null when
     * absent) or, for all/any, from the lead's {@code fields}.
     */
    int score(String value, Map<String, String> fields) {
        if (parts != null) {
            return testParts(fields) ? points : MISS;
        }
        return score(value);
    }

    /** Whether this check matches: {@code value} is this check's field, {@code fields} the whole lead (for all/any). */
    boolean test(String value, Map<String, String> fields) {
        return parts != null ? testParts(fields) : test(value);
    }

    private boolean testParts(Map<String, String> fields) {
        boolean all = kind == ALL;
        for (CompiledCheck p : parts) {
            if (p.test(QualificationEngine.value(fields, p.field), fields) != all) {
                return !all;
            }
        }
        return all;
    }

    /** Points this check gives for {@code value} (null when the field is absent), or {@link #MISS}. */
    int score(String value) {
        if (kind == BANDS) {
            int band = band(value);
            return band < 0 ? MISS : bandPoints[band];
        }
        return test(value) ? points : MISS;
    }

    /** Whether a non-band check matches {@code value}. */
    boolean test(String value) {
        switch (kind) {
            case EXISTS:
                return present != isBlank(value);
            case IN:
                return value != null && values.contains(value);
            case MATCHES:
                return value != null && find(value);
            case EQUALS:
                return value != null && value.trim().equalsIgnoreCase(equalsValue);
            default:
                return band(value) >= 0;
        }
    }

    private boolean find(String value) {
        Matcher m = matcher.get();
        boolean found = m.reset(value).find();
        // let go of the value so a huge field is not kept alive by the thread
        m.reset("");
        return found;
    }

    private int band(String value) {
        double v = Numbers.parse(value);
        if (Double.isNaN(v)) {
            return -1;
        }
        for (int i = 0; i < mins.length; i++) {
            if (mins[i] <= v) {
                // a band reaches up to the one above it unless its max ends it earlier
                return v < maxes[i] ? i : -1;
            }
        }
        return -1;
    }

    /**
     * Why the lead did or did not match, in words. For all/any every part is listed, marked
     * {@code ✓} when it held and {@code ✗} when not, e.g.
     * {@code all of (✓ employees 1,500 ≥ 1,000; ✗ title "Engineer" does not match)}.
     */
    String describe(String value, Map<String, String> fields) {
        if (parts == null) {
            return describe(value);
        }
        StringBuilder sb = new StringBuilder(kind == ALL ? "all of (" : "any of (");
        for (int i = 0; i < parts.length; i++) {
            CompiledCheck p = parts[i];
            String v = QualificationEngine.value(fields, p.field);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(p.test(v, fields) ? "✓ " : "✗ ");
            String detail = p.describe(v, fields);
            // a band that is reached reads "1,500 ≥ 1,000" on its own criterion; among parts it needs its field
            if (p.kind == BANDS && p.band(v) >= 0) {
                detail = p.field + " " + detail;
            }
            sb.append(detail);
        }
        return sb.append(')').toString();
    }

    /** Why {@code value} matched or not, in words, e.g. {@code 12,000,000 ≥ 10,000,000} or {@code no industry}. */
    String describe(String value) {
        if (kind == EXISTS) {
            if (isBlank(value)) {
                return "no " + field;
            }
            return field + " " + Text.quote(value) + " present";
        }
        if (isBlank(value)) {
            return "no " + field;
        }
        switch (kind) {
            case BANDS: {
                double v = Numbers.parse(value);
                if (Double.isNaN(v)) {
                    return field + " " + Text.quote(value).replace('"', '\'') + " is not a number";
                }
                int band = band(value);
                if (band >= 0) {
                    return Numbers.format(v) + " ≥ " + Numbers.format(mins[band]);
                }
                for (int i = 0; i < mins.length; i++) {
                    if (mins[i] <= v) {
                        return field + " " + Numbers.format(v) + " not below max " + Numbers.format(maxes[i]);
                    }
                }
                return field + " " + Numbers.format(v) + " < " + Numbers.format(mins[mins.length - 1]);
            }
            case IN: {
                if (listName == null) {
                    return field + " " + Text.quote(value) + (test(value) ? "" : " not in the list");
                }
                return field + " " + Text.quote(value) + (test(value) ? " in " : " not in ") + listName;
            }
            case MATCHES:
                return field + " " + Text.quote(value) + (test(value) ? "" : " does not match");
            default:
                return field + " " + Text.quote(value) + (test(value) ? "" : " is not " + Text.quote(equalsValue));
        }
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return id + "(" + field + ", kind " + kind + ")" + (listName == null ? "" : " " + listName.toLowerCase(Locale.ROOT));
    }
}
