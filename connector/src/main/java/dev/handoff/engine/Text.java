package dev.handoff.engine;

/** Small text helpers for explanations. */
final class Text {

    static final int MAX_VALUE_CHARS = 60;

    private Text() {
    }

    /** The value in double quotes, control characters as spaces, cut to {@value #MAX_VALUE_CHARS} characters. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_VALUE_CHARS) + 3).append('"');
        String v = value.trim();
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (n == MAX_VALUE_CHARS) {
                sb.append('…');
                break;
            }
            if (Character.isHighSurrogate(c) && n == MAX_VALUE_CHARS - 1) {
                sb.append('…');
                break;
            }
            sb.append(Character.isISOControl(c) ? ' ' : c);
            n++;
        }
        return sb.append('"').toString();
    }

    static String signed(int points) {
        return points > 0 ? "+" + points : Integer.toString(points);
    }
}
