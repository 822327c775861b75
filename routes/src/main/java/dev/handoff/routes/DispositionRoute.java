package dev.handoff.routes;

import org.apache.camel.model.FilterDefinition;

/** Sales verdicts in Salesforce → ledger → feedback fields in Marketo → the reason's action, one cycle per interval. */
public final class DispositionRoute extends PolledFlowRoute {

    public static final String FLOW = "disposition";

    public DispositionRoute() {
        super(FLOW);
    }

    @Override
    void steps(FilterDefinition cycle) {
        // A reason's action follows its feedback at once (a zero-day recycle, a disqualification), so
        // marketing never waits for the recycle flow's next cycle.
        cycle.bean("dispositionPoller", "poll")
                .bean("feedbackWriter", "writePending")
                .bean("nurtureRecycler", "recycle");
    }
}
