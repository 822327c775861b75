package dev.handoff.ops;

import dev.handoff.error.ConnectorException;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Counts every redelivery the routes' error handler makes, by the system whose failure caused it and the flow. */
public final class RetryMetrics extends EventNotifierSupport {

    private final Operations operations;

    public RetryMetrics(Operations operations) {
        this.operations = operations;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((ExchangeRedeliveryEvent) event).getExchange();
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String flow = exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId();
        operations.recordRetry(system(failure), flow);
    }

    static String system(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectorException ce && ce.system() != null) {
                return ce.system();
            }
            if (t instanceof dev.handoff.ledger.LedgerException) {
                return "ledger";
            }
        }
        return "unknown";
    }
}
