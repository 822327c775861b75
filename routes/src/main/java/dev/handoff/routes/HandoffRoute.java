package dev.handoff.routes;

import org.apache.camel.model.FilterDefinition;

/**
 * Intake → qualify → hand MQLs to Salesforce, one cycle per handoff interval (qualification and
 * handoff overlap: whole upsert batches go to Salesforce while later leads are still being read). A cycle that pushed
 * leads asked for early (webhook micro-batching) skips polling the MAP: the pushed leads are in the
 * ledger already, and the MAP's API budget is spent at the interval's pace only.
 */
public final class HandoffRoute extends PolledFlowRoute {

    public static final String FLOW = "handoff";

    public HandoffRoute() {
        super(FLOW);
    }

    @Override
    void steps(FilterDefinition cycle) {
        cycle.filter(method("pollSchedule", "fullCycle('" + FLOW + "')"))
                    .bean("mapIntake", "poll")
                .end()
                .bean("qualifyAndHandOff", "run");
    }
}
