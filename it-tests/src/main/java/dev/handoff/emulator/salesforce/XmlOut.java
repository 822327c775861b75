package dev.handoff.emulator.salesforce;

/** Minimal streaming XML writer; every text and attribute value goes through {@link #escape}. */
final class XmlOut {

    private final StringBuilder sb = new StringBuilder(1024);

    XmlOut raw(String s) {
        sb.append(s);
        return this;
    }

    XmlOut open(String tag) {
        sb.append('<').append(tag).append('>');
        return this;
    }

    XmlOut open(String tag, String attrName, String attrValue) {
        sb.append('<').append(tag).append(' ').append(attrName).append("=\"").append(escape(attrValue)).append("\">");
        return this;
    }

    XmlOut close(String tag) {
        sb.append("</").append(tag).append('>');
        return this;
    }

    XmlOut leaf(String tag, Object value) {
        if (value == null) {
            return nil(tag);
        }
        sb.append('<').append(tag).append('>').append(escape(value.toString())).append("</").append(tag).append('>');
        return this;
    }

    XmlOut nil(String tag) {
        sb.append('<').append(tag).append(" xsi:nil=\"true\"/>");
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }

    /**
     * Escapes markup and the characters an XML parser would otherwise normalise away (CR, tabs in
     * attributes), so stored values round-trip byte for byte.
     */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> {
                    if (c < 0x20 && c != '\n') {
                        // Not representable in XML 1.0; Salesforce drops such characters too.
                        continue;
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
