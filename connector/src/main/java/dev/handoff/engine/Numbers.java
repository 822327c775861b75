package dev.handoff.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Lenient, allocation-free number parsing for lead fields, and fixed, locale-independent formatting
 * for explanations.
 *
 * <p>Lead data comes from people and forms: {@code 12,000,000}, {@code $5M}, {@code €2.5B},
 * {@code 10k}, {@code 12 000 000}. Those have one sensible reading and are read that way. Text with
 * more than one reading ({@code 5-10M}, {@code about 5M}, {@code 1,2} which is 1.2 or 12 depending
 * on the country, {@code 12.000.000}) or with none ({@code NaN}, {@code Infinity}, {@code 0x1F}) is
 * not a number, and the criterion scores as if the field were missing.
 *
 * <p>Accepted: surrounding spaces; a sign; one currency ({@code $ € £ ¥}, {@code US$}, or an ISO
 * code such as {@code USD}) before or after the amount; digits grouped by threes with one kind of
 * separator (comma, apostrophe or a space); a decimal point; an exponent ({@code 1.2e7}) when the
 * digits are not grouped; a multiplier {@code k, m, mm, mn, mio, mln, b, bn, thousand, million,
 * billion} in any case.
 */
final class Numbers {

    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
        1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    /** Above this a long mantissa is no longer exact in a double, so the fast path would round twice. */
    private static final long EXACT_MANTISSA = 1L << 53;
    /** Digits kept in the mantissa; later integer digits only shift the exponent. */
    private static final int MAX_MANTISSA_DIGITS = 18;

    private static final String[] CURRENCY_SYMBOLS = {"US$", "$", "€", "£", "¥"};
    private static final String[] CURRENCY_CODES = {"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY"};
    /** Longest first, so "mm" is not read as "m" followed by junk. */
    private static final String[] MULTIPLIERS = {"thousand", "million", "billion", "mio", "mln", "mm", "mn", "bn", "k",
        "m", "b"};
    private static final int[] MULTIPLIER_EXPONENTS = {3, 6, 9, 6, 6, 6, 6, 9, 3, 6, 9};

    private static final int NO_SEPARATOR = 0;
    private static final int COMMA = 1;
    private static final int APOSTROPHE = 2;
    private static final int SPACE = 3;

    private Numbers() {
    }

    /**
     * The number {@code s} stands for, or NaN when {@code s} is null, blank, ambiguous or not a
     * number (see the class comment). Never throws, never returns an infinity.
     */
    static double parse(String s) {
        if (s == null) {
            return Double.NaN;
        }
        int end = s.length();
        int i = 0;
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        while (end > i && isSpace(s.charAt(end - 1))) {
            end--;
        }
        if (i == end) {
            return Double.NaN;
        }
        // The common case, a plain whole number as the MAP sends it, without the general machinery.
        if (end - i <= 15) {
            long v = 0;
            int k = i;
            while (k < end) {
                char c = s.charAt(k);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                k++;
            }
            if (k == end) {
                return v;
            }
        }
        return parseLenient(s, i, end);
    }

    private static double parseLenient(String s, int start, int end) {
        int i = start;
        boolean negative = false;
        boolean signed = false;
        char c = s.charAt(i);
        if (c == '+' || c == '-' || c == '\u2212') {
            negative = c != '+';
            signed = true;
            i++;
        }
        boolean currency = false;
        int cur = currencyAt(s, i, end);
        if (cur > 0) {
            currency = true;
            i = skipSpaces(s, i + cur, end);
            if (!signed && i < end && (s.charAt(i) == '-' || s.charAt(i) == '+' || s.charAt(i) == '\u2212')) {
                negative = s.charAt(i) != '+';
                i++;
            }
        }

        long mantissa = 0;
        int mantissaDigits = 0;
        int exponent = 0;
        int intDigits = 0;
        int separator = NO_SEPARATOR;
        int groupLength = 0;
        while (i < end) {
            c = s.charAt(i);
            if (isDigit(c)) {
                if (mantissaDigits < MAX_MANTISSA_DIGITS) {
                    if (mantissa != 0 || c != '0') {
                        mantissa = mantissa * 10 + (c - '0');
                        mantissaDigits++;
                    }
                } else {
                    exponent++;
                }
                intDigits++;
                groupLength++;
                i++;
                continue;
            }
            int kind = separatorKind(c);
            if (kind == NO_SEPARATOR || i + 1 >= end || !isDigit(s.charAt(i + 1)) || intDigits == 0) {
                break;
            }
            if (separator == NO_SEPARATOR) {
                if (groupLength > 3) {
                    return Double.NaN;
                }
                separator = kind;
            } else if (kind != separator || groupLength != 3) {
                return Double.NaN;
            }
            groupLength = 0;
            i++;
        }
        if (separator != NO_SEPARATOR && groupLength != 3) {
            return Double.NaN;
        }

        int fractionDigits = 0;
        if (i < end && s.charAt(i) == '.') {
            i++;
            while (i < end && isDigit(s.charAt(i))) {
                if (mantissaDigits < MAX_MANTISSA_DIGITS) {
                    mantissa = mantissa * 10 + (s.charAt(i) - '0');
                    if (mantissa != 0) {
                        mantissaDigits++;
                    }
                    exponent--;
                }
                fractionDigits++;
                i++;
            }
            if (fractionDigits == 0 && intDigits == 0) {
                return Double.NaN;
            }
        }
        if (intDigits + fractionDigits == 0) {
            return Double.NaN;
        }

        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E') && separator == NO_SEPARATOR) {
            int k = i + 1;
            boolean negativeExponent = false;
            if (k < end && (s.charAt(k) == '+' || s.charAt(k) == '-')) {
                negativeExponent = s.charAt(k) == '-';
                k++;
            }
            int e = 0;
            int expDigits = 0;
            while (k < end && isDigit(s.charAt(k))) {
                // Beyond 9,999 the value is 0 or infinite anyway; capping keeps the int from overflowing.
                e = Math.min(e * 10 + (s.charAt(k) - '0'), 9_999);
                expDigits++;
                k++;
            }
            // Without digits the letter is not an exponent ("5EUR"); what follows must then make sense on its own.
            if (expDigits > 0) {
                exponent += negativeExponent ? -e : e;
                i = k;
            }
        }

        i = skipSpaces(s, i, end);
        int m = multiplierAt(s, i, end);
        if (m >= 0) {
            exponent += MULTIPLIER_EXPONENTS[m];
            i = skipSpaces(s, i + MULTIPLIERS[m].length(), end);
        }
        if (!currency) {
            cur = currencyAt(s, i, end);
            if (cur > 0) {
                i += cur;
            }
        }
        if (i != end) {
            return Double.NaN;
        }
        double v = toDouble(s, start, end, mantissa, exponent);
        if (Double.isInfinite(v)) {
            return Double.NaN;
        }
        return negative ? -v : v;
    }

    private static double toDouble(String s, int start, int end, long mantissa, int exponent) {
        if (mantissa == 0) {
            return 0;
        }
        if (mantissa <= EXACT_MANTISSA && exponent >= -22 && exponent <= 22) {
            // Both operands exact, so one correctly rounded operation: the same double as Double.parseDouble.
            return exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
        }
        return Double.parseDouble(mantissa + "E" + exponent);
    }

    private static int currencyAt(String s, int i, int end) {
        for (String symbol : CURRENCY_SYMBOLS) {
            if (s.startsWith(symbol, i)) {
                return symbol.length();
            }
        }
        if (i + 3 <= end && (i + 3 == end || !Character.isLetter(s.charAt(i + 3)))) {
            for (String code : CURRENCY_CODES) {
                if (s.regionMatches(true, i, code, 0, 3)) {
                    return 3;
                }
            }
        }
        return 0;
    }

    /** Index into {@link #MULTIPLIERS} of the word at {@code i} that ends at a word boundary, or -1. */
    private static int multiplierAt(String s, int i, int end) {
        for (int m = 0; m < MULTIPLIERS.length; m++) {
            String word = MULTIPLIERS[m];
            int after = i + word.length();
            if (after <= end && s.regionMatches(true, i, word, 0, word.length())
                    && (after == end || !Character.isLetterOrDigit(s.charAt(after)))) {
                return m;
            }
        }
        return -1;
    }

    private static int separatorKind(char c) {
        if (c == ',') {
            return COMMA;
        }
        if (c == '\'' || c == '\u2019') {
            return APOSTROPHE;
        }
        if (c == ' ' || c == '\u00A0' || c == '\u202F' || c == '\u2009' || c == '\u2007') {
            return SPACE;
        }
        return NO_SEPARATOR;
    }

    private static int skipSpaces(String s, int i, int end) {
        while (i < end && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c <= ' ' || c == '\u00A0' || c == '\u202F' || c == '\u2009' || c == '\u2007' || c == '\u3000';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code s} is written as a plain decimal ({@code 500}, {@code -3.5}), which needs no word on how it was read. */
    static boolean isPlain(String s) {
        if (s == null) {
            return false;
        }
        String t = s.strip();
        int i = 0;
        if (!t.isEmpty() && (t.charAt(0) == '-' || t.charAt(0) == '+')) {
            i = 1;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < t.length(); i++) {
            char c = t.charAt(i);
            if (isDigit(c)) {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                return false;
            }
        }
        return digits > 0;
    }

    /**
     * The detail of a numeric criterion with a word on how the value was read: unchanged for a plain
     * number or a missing value; {@code annual_revenue '$5M' read as 5,000,000; } before it when the
     * value was read leniently; {@code , scored as missing} after it when the value is not a number.
     */
    static String withReading(String field, String value, String detail) {
        if (value == null || value.isBlank() || isPlain(value)) {
            return detail;
        }
        double v = parse(value);
        if (Double.isNaN(v)) {
            return detail + ", scored as missing";
        }
        String prefix = field + " ";
        String comparison = detail.startsWith(prefix) ? detail.substring(prefix.length()) : detail;
        return prefix + Text.quote(value).replace('"', '\'') + " read as " + format(v) + "; " + comparison;
    }

    /** Rounds half away from zero, absorbing floating-point noise (7.4999999999 from 15 × 0.5 is 8). */
    static int roundHalfUp(double v) {
        double r = v >= 0 ? Math.floor(v + 0.5 + 1e-9) : -Math.floor(-v + 0.5 + 1e-9);
        return (int) r;
    }

    /** {@code 12,000,000}, {@code 1,234.5}: comma grouping, at most two decimals, same on every JVM locale. */
    static String format(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        String plain = d.toPlainString();
        boolean negative = plain.startsWith("-");
        if (negative) {
            plain = plain.substring(1);
        }
        int dot = plain.indexOf('.');
        String intPart = dot < 0 ? plain : plain.substring(0, dot);
        String frac = dot < 0 ? "" : plain.substring(dot);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < intPart.length(); i++) {
            if (i > 0 && (intPart.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(intPart.charAt(i));
        }
        return (negative ? "-" : "") + sb + frac;
    }
}
