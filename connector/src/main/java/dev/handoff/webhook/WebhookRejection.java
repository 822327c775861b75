package dev.handoff.webhook;

import java.util.List;

/**
 * A webhook request refused at the door, with the HTTP status to answer. The message and the JSON
 * answer name the problem (and the fields at fault), never the body or a header value, so both are
 * safe to log and to send back.
 */
public final class WebhookRejection extends RuntimeException {

    private final String source;
    private final int status;
    private final String code;
    private final List<String> errors;

    public WebhookRejection(String source, int status, String code, String message, List<String> errors) {
        super(message, null, false, false);
        this.source = source;
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public String getSource() {
        return source;
    }

    public int getStatus() {
        return status;
    }

    public String getCode() {
        return code;
    }

    public List<String> errors() {
        return errors;
    }

    /** The response body: {@code {"error": code, "message": …, "errors": [field-level errors]}}. */
    public String getJson() {
        StringBuilder out = new StringBuilder("{\"error\":").append(quote(code)).append(",\"message\":")
                .append(quote(getMessage()));
        if (!errors.isEmpty()) {
            out.append(",\"errors\":[");
            for (int i = 0; i < errors.size(); i++) {
                out.append(i == 0 ? "" : ",").append(quote(errors.get(i)));
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
