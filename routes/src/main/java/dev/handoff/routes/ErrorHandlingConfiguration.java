package dev.handoff.routes;

import dev.handoff.error.ConnectorException;
import dev.handoff.ledger.LedgerException;
import dev.handoff.transport.SystemCircuit;
import dev.handoff.webhook.WebhookRejection;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling for every flow, declared once. A failed cycle never moves a watermark, so the
 * next cycle picks the work up again: transient failures are redelivered a few times with
 * backoff first, everything else is logged plainly for the admin and left for the next poll.
 */
public final class ErrorHandlingConfiguration extends RouteConfigurationBuilder {

    /** Webhook intake answers its caller: a refusal's status and JSON, never a stack trace or the body. */
    public static final String WEBHOOK_ERRORS = "webhook-errors";

    @Override
    public void configuration() {
        routeConfiguration("handoff-errors")
                // An open circuit is already the answer to repeated failures: no redelivery, the next poll tries again.
                .onException(ConnectorException.class)
                    .onWhen(exchange -> exchange.getException(ConnectorException.class) != null
                            && SystemCircuit.OPEN_CODE.equals(exchange.getException(ConnectorException.class).code()))
                    .handled(true)
                    .log(LoggingLevel.WARN, "${routeId}: cycle skipped, ${exception.message}; the next poll tries again")
                .end()
                .onException(ConnectorException.class)
                    .onWhen(exchange -> exchange.getException(ConnectorException.class) != null
                            && exchange.getException(ConnectorException.class).isTransient())
                    .maximumRedeliveries("{{route.retry.redeliveries}}")
                    .redeliveryDelay("{{route.retry.initial-delay-ms}}")
                    .useExponentialBackOff()
                    .backOffMultiplier(2)
                    .useCollisionAvoidance()
                    .retryAttemptedLogLevel(LoggingLevel.INFO)
                    .handled(true)
                    .log(LoggingLevel.WARN, "${routeId}: ${exception.message}; the cycle will run again at the next poll")
                .end()
                .onException(ConnectorException.class, LedgerException.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "${routeId}: ${exception.message}; needs attention, retrying at the next poll")
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "${routeId}: unexpected ${exception.class.simpleName}: ${exception.message}")
                .end();

        routeConfiguration(WEBHOOK_ERRORS)
                .onException(WebhookRejection.class)
                    .handled(true)
                    .log(LoggingLevel.WARN, "${routeId}: refused a ${exception.source} request with ${exception.status}: "
                            + "${exception.message}")
                    .removeHeaders("*")
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, simple("${exception.status}"))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(simple("${exception.json}"))
                .end()
                .onException(LedgerException.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "${routeId}: ledger unavailable, the caller is told to retry: ${exception.message}")
                    .removeHeaders("*")
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(constant("{\"error\":\"UNAVAILABLE\",\"message\":\"the ledger is unavailable; retry later\"}"))
                .end()
                .onException(Exception.class)
                    .handled(true)
                    .log(LoggingLevel.ERROR, "${routeId}: unexpected ${exception.class.simpleName}")
                    .removeHeaders("*")
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setBody(constant("{\"error\":\"INTERNAL\",\"message\":\"intake failed; retry later\"}"))
                .end();
    }
}
