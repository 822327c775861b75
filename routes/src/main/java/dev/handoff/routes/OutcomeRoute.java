package dev.handoff.routes;

import org.apache.camel.model.FilterDefinition;

/** Converted leads' opportunities → won / lost in the ledger and in Marketo, one cycle per interval. */
public final class OutcomeRoute extends PolledFlowRoute {

    public static final String FLOW = "outcome";

    public OutcomeRoute() {
        super(FLOW);
    }

    @Override
    void steps(FilterDefinition cycle) {
        cycle.bean("opportunityPoller", "poll")
                .bean("feedbackWriter", "writePending");
    }
}
