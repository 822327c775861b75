package dev.handoff.transport;

import java.io.IOException;

/**
 * The one thing the MAP clients need from the outside world: send a request, get a response.
 * The application implements it with Camel HTTP; tests use {@link JdkHttpTransport}.
 * Implementations throw {@link IOException} only for transport failures (reset, timeout);
 * every HTTP status, including 4xx/5xx, comes back as a response.
 */
public interface HttpTransport {
    HttpResponse send(HttpRequest request) throws IOException;
}
