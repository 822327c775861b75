package dev.handoff.routes;

import org.apache.camel.model.FilterDefinition;

/** Handed-off leads past their accept window without a verdict → flagged in Salesforce, the MAP and the ledger, alerted. */
public final class SlaRoute extends PolledFlowRoute {

    public static final String FLOW = "sla";

    public SlaRoute() {
        super(FLOW);
    }

    @Override
    void steps(FilterDefinition cycle) {
        cycle.bean("slaMonitor", "check");
    }
}
