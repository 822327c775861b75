package dev.handoff.transport;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what one system's transport did: every request sent, and those that failed (no answer,
 * or an answer of 429 or 5xx). Wraps the real transport; the counts feed the metrics endpoint.
 */
public final class MeteredTransport implements HttpTransport {

    private final String system;
    private final HttpTransport delegate;
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();

    public MeteredTransport(String system, HttpTransport delegate) {
        this.system = Objects.requireNonNull(system, "system");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        requests.increment();
        try {
            HttpResponse response = delegate.send(request);
            if (response.status() == 429 || response.status() >= 500) {
                failures.increment();
            }
            return response;
        } catch (IOException | RuntimeException e) {
            failures.increment();
            throw e;
        }
    }

    public String system() {
        return system;
    }

    /** Requests sent since start, answered or not. */
    public long requests() {
        return requests.sum();
    }

    /** Requests that got no answer, or 429 / 5xx. */
    public long failures() {
        return failures.sum();
    }
}
