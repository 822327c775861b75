package dev.handoff.html;

/** Text made safe for HTML element content and attribute values, for every page Handoff renders. */
public final class Html {

    private Html() {
    }

    /**
     * Escapes {@code & < > " '}; control characters other than a newline become spaces. Null is
     * the empty string.
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(Character.isISOControl(c) && c != '\n' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
