package dev.handoff.routes;

import dev.handoff.webhook.WebhookIntake;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * Webhook intake: {@code POST /webhooks/{source}} → size → signature → payload → ledger → 202.
 * Each step is a {@code webhookIntake} bean call that refuses by throwing; the refusal's status,
 * JSON answer and log line come from the {@code webhook-errors} route configuration. Request
 * headers are dropped as soon as they are read so none (the signature least of all) is echoed.
 */
public final class WebhookRoute extends RouteBuilder {

    public static final String ROUTE_ID = "webhook-intake";

    @Override
    public void configure() {
        from("platform-http:/webhooks/{source}?httpMethodRestrict=POST")
                .routeId(ROUTE_ID)
                .routeConfigurationId(ErrorHandlingConfiguration.WEBHOOK_ERRORS)
                .process(WebhookRoute::toRequest)
                .removeHeaders("*")
                .bean("webhookIntake", "checkSize")
                .bean("webhookIntake", "verify")
                .bean("webhookIntake", "parse")
                .bean("webhookIntake", "record")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));
    }

    /** The HTTP message as the connector's plain request: the raw bytes, the URL as called, the headers. */
    private static void toRequest(Exchange exchange) {
        Message in = exchange.getIn();
        Map<String, String> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel")) {
                headers.put(k, v.toString());
            }
        });
        String host = in.getHeader("Host", String.class);
        String uri = "http://" + (host == null ? "localhost" : host) + in.getHeader(Exchange.HTTP_URI, String.class);
        byte[] body = in.getBody(byte[].class);
        in.setBody(new WebhookIntake.Request(in.getHeader("source", String.class), in.getHeader(Exchange.HTTP_METHOD,
                String.class), uri, headers, body));
    }
}
