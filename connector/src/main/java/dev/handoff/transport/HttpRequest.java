package dev.handoff.transport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** An immutable outgoing request. {@code toString} never shows headers: they carry tokens. */
public final class HttpRequest {

    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;

    private HttpRequest(String method, URI uri, Map<String, String> headers, byte[] body) {
        this.method = Objects.requireNonNull(method, "method");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.headers = Map.copyOf(headers);
        this.body = body == null ? null : body.clone();
    }

    public static HttpRequest get(URI uri, Map<String, String> headers) {
        return new HttpRequest("GET", uri, headers, null);
    }

    public static HttpRequest post(URI uri, Map<String, String> headers, String contentType, String body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", contentType);
        return new HttpRequest("POST", uri, all, body.getBytes(StandardCharsets.UTF_8));
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body == null ? null : body.clone();
    }

    /** Path only: query strings can carry client secrets (Marketo identity). */
    @Override
    public String toString() {
        return method + " " + uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }
}
