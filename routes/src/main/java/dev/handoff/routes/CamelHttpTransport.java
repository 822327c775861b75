package dev.handoff.routes;

import dev.handoff.transport.HttpRequest;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;

/**
 * The connector's HTTP transport on Camel's HTTP component: one pooled Apache HttpClient per host,
 * statuses returned rather than thrown so the clients classify them.
 */
public final class CamelHttpTransport implements HttpTransport {

    private final ProducerTemplate template;
    private final int timeoutMillis;

    public CamelHttpTransport(ProducerTemplate template, int timeoutMillis) {
        this.template = template;
        this.timeoutMillis = timeoutMillis;
        // The clients classify 429/5xx and I/O failures and retry them on the connector's clock within
        // the APIs' rate limits; HttpClient's own silent re-execution (even of POSTs) would bypass both.
        for (String scheme : List.of("http", "https")) {
            template.getCamelContext().getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
        }
    }

    @Override
    public HttpResponse send(HttpRequest request) throws IOException {
        // One endpoint, hence one connection pool, per host; the path travels in HTTP_URI.
        String endpoint = request.uri().getScheme() + "://" + request.uri().getRawAuthority()
                + "?throwExceptionOnFailure=false&connectionsPerRoute=20&responseTimeout=" + timeoutMillis
                + "&connectTimeout=" + timeoutMillis + "&copyHeaders=false";
        Exchange result = template.send(endpoint, exchange -> {
            Message in = exchange.getIn();
            in.setHeader(Exchange.HTTP_URI, request.uri().getScheme() + "://" + request.uri().getRawAuthority()
                    + request.uri().getRawPath());
            in.setHeader(Exchange.HTTP_METHOD, request.method());
            if (request.uri().getRawQuery() != null) {
                in.setHeader(Exchange.HTTP_QUERY, request.uri().getRawQuery());
            }
            request.headers().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Content-Type")) {
                    in.setHeader(Exchange.CONTENT_TYPE, v);
                } else {
                    in.setHeader(k, v);
                }
            });
            in.setBody(request.body());
        });
        Exception failure = result.getException();
        if (failure != null) {
            throw new IOException(failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
        }
        Message out = result.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Map<String, String> headers = new LinkedHashMap<>();
        out.getHeaders().forEach((k, v) -> {
            if (!k.startsWith("Camel") && v != null) {
                headers.put(k, headerValue(v));
            }
        });
        byte[] body = out.getBody(byte[].class);
        return new HttpResponse(status == null ? 0 : status, headers, body);
    }

    /** Camel gathers a repeated response header into a list; HTTP joins its values with commas. */
    private static String headerValue(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return value.toString();
    }
}
