package dev.handoff.definition;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain-language phrases for the parts of a definition, shared by {@link AgreementDocument} and
 * {@link DefinitionDiff} so the signed document and the change list describe a rule the same way.
 * Output is locale-independent: the same definition reads the same on every machine.
 */
final class Wording {

    /** A regex that is only an alternation of plain words, optionally case-insensitive and word-bounded. */
    private static final Pattern WORD_LIST = Pattern.compile(
            "(\\(\\?i\\))?(\\\\b)?(?:\\((?:\\?:)?([^()\\\\\\[\\]{}*+?.^$]+)\\)|([^()|\\\\\\[\\]{}*+?.^$]+))(\\\\b)?");

    private Wording() {
    }

    /** {@code annual_revenue} → {@code annual revenue}. */
    static String field(String name) {
        return name.replace('_', ' ').trim();
    }

    /** {@code 50,000,000}, {@code 0.5}: comma grouping, at most two decimals. */
    static String number(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        String plain = d.toPlainString();
        boolean negative = plain.startsWith("-");
        if (negative) {
            plain = plain.substring(1);
        }
        int dot = plain.indexOf('.');
        String intPart = dot < 0 ? plain : plain.substring(0, dot);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < intPart.length(); i++) {
            if (i > 0 && (intPart.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(intPart.charAt(i));
        }
        return (negative ? "-" : "") + sb + (dot < 0 ? "" : plain.substring(dot));
    }

    /** {@code 20 points}, {@code 1 point}, {@code -50 points}. */
    static String points(int p) {
        return p + (Math.abs(p) == 1 ? " point" : " points");
    }

    /** {@code a, b or c}; {@code conjunction} is "or" or "and". */
    static String enumerate(List<String> items, String conjunction) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " " + items.get(items.size() - 1);
    }

    /** {@code at least 40} / {@code more than 40}. */
    static String threshold(Threshold t) {
        return (t.op() == Threshold.Op.AT_LEAST ? "at least " : "more than ") + t.value();
    }

    /** {@code ≥ 40} / {@code > 40}. */
    static String symbol(Threshold t) {
        return t.op().display() + " " + t.value();
    }

    /** The lowest whole score that passes {@code t}; lets a diff say "raised" or "lowered". */
    static int lowestPassing(Threshold t) {
        return t.op() == Threshold.Op.AT_LEAST ? t.value() : t.value() + 1;
    }

    /** {@code 24 hours}, {@code 1 day 12 hours}, {@code 30 minutes}. */
    static String duration(Duration d) {
        List<String> parts = new ArrayList<>();
        long days = d.toDays();
        int hours = d.toHoursPart();
        int minutes = d.toMinutesPart();
        // response times are quoted in hours up to two days ("48 hours"), in days beyond
        if (days > 0 && days < 3 && hours == 0 && minutes == 0) {
            return d.toHours() + " hours";
        }
        if (days > 0) {
            parts.add(days + (days == 1 ? " day" : " days"));
        }
        if (hours > 0) {
            parts.add(hours + (hours == 1 ? " hour" : " hours"));
        }
        if (minutes > 0) {
            parts.add(minutes + (minutes == 1 ? " minute" : " minutes"));
        }
        return String.join(" ", parts);
    }

    /** {@code 25%}, {@code 12.5%}. */
    static String percent(double share) {
        return number(share * 100) + "%";
    }

    static String days(int n) {
        return n + (n == 1 ? " day" : " days");
    }

    /** What {@code condition} checks on {@code field}, in words: {@code industry is Software, Financial Services or Manufacturing}. */
    static String condition(String field, Condition condition) {
        String f = field(field);
        if (condition instanceof Condition.Bands b) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < b.bands().size(); i++) {
                Condition.Band band = b.bands().get(i);
                String prefix = i == 0 ? f + " of at least " : "at least ";
                parts.add(prefix + number(band.min()) + " → " + (i == 0 ? points(band.points()) : Integer.toString(band.points())));
            }
            return String.join(", ", parts);
        }
        if (condition instanceof Condition.In in) {
            return f + " is " + enumerate(in.values(), "or");
        }
        if (condition instanceof Condition.InList in) {
            return f + " is in the list " + in.list() + " (" + in.normalized().size() + (in.normalized().size() == 1 ? " entry)" : " entries)");
        }
        if (condition instanceof Condition.Matches m) {
            return f + " " + pattern(m.regex());
        }
        if (condition instanceof Condition.Equals e) {
            return f + " is exactly " + e.value();
        }
        if (condition instanceof Condition.Exists e) {
            return f + (e.present() ? " is filled in" : " is empty");
        }
        if (condition instanceof Condition.All all) {
            return "all of: " + parts(all.parts(), "and");
        }
        if (condition instanceof Condition.Any any) {
            return "any of: " + parts(any.parts(), "or");
        }
        // a condition kind this wording does not know yet still gets a truthful, if technical, description
        return f + ": " + condition;
    }

    /** {@code employees of at least 1,000; and title mentions the word chief}. */
    private static String parts(List<Condition.Part> parts, String joiner) {
        List<String> out = new ArrayList<>();
        for (Condition.Part p : parts) {
            if (p.condition() instanceof Condition.Bands b && !b.bands().isEmpty()) {
                Condition.Band band = b.bands().get(0);
                String max = band.max().isPresent() ? " and below " + number(band.max().getAsDouble()) : "";
                out.add(field(p.field()) + " of at least " + number(band.min()) + max);
            } else if (Condition.isComposite(p.condition())) {
                out.add("(" + condition(p.field(), p.condition()) + ")");
            } else {
                out.add(condition(p.field(), p.condition()));
            }
        }
        return String.join("; " + joiner + " ", out);
    }

    /** {@code mentions the word director, vp or chief} for a simple word list, else {@code matches the pattern …}. */
    static String pattern(String regex) {
        Matcher m = WORD_LIST.matcher(regex);
        if (m.matches()) {
            String body = m.group(3) != null ? m.group(3) : m.group(4);
            List<String> words = new ArrayList<>();
            boolean plain = true;
            for (String w : body.split("\\|", -1)) {
                String t = w.trim();
                if (t.isEmpty() || !t.equals(w)) {
                    plain = false;
                    break;
                }
                words.add(m.group(1) != null ? t.toLowerCase(Locale.ROOT) : t);
            }
            if (plain) {
                boolean wholeWords = m.group(2) != null && m.group(5) != null;
                return "mentions " + (wholeWords ? (words.size() == 1 ? "the word " : "the words ") : "")
                        + enumerate(words, "or") + (m.group(1) != null ? "" : " (case-sensitive)");
            }
        }
        return "matches the pattern " + regex;
    }

    /** What sales' rejection with this reason does to the lead. */
    static String action(RejectReason r) {
        switch (r.action()) {
            case DISQUALIFY:
                return "never handed to sales again";
            case MERGE:
                return "merged with the record it duplicates";
            default:
                return r.afterDays() == 0
                        ? "back to marketing nurture, may return to sales right away"
                        : "back to marketing nurture, may return to sales after " + days(r.afterDays());
        }
    }

    /** {@code month} → {@code per month}. */
    static String period(Sla.Period p) {
        return "per " + p.name().toLowerCase(Locale.ROOT);
    }

    /** {@code converted} → {@code are converted}. */
    static String metric(Sla.Metric m) {
        switch (m) {
            case ACCEPTED:
                return "are accepted by sales";
            case WON:
                return "turn into won deals";
            default:
                return "are converted";
        }
    }
}
