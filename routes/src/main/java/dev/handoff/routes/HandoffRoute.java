package dev.handoff.routes;

import org.apache.camel.model.FilterDefinition;

/** Intake → qualify → hand MQLs to Salesforce, one cycle per handoff interval. */
public final class HandoffRoute extends PolledFlowRoute {

    public static final String FLOW = "handoff";

    public HandoffRoute() {
        super(FLOW);
    }

    @Override
    void steps(FilterDefinition cycle) {
        cycle.bean("mapIntake", "poll")
                .bean("leadQualifier", "qualifyNewLeads")
                .bean("salesforceLeadWriter", "handOff");
    }
}
