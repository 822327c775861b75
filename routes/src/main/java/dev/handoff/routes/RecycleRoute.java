package dev.handoff.routes;

import org.apache.camel.model.FilterDefinition;

/** Rejected leads whose reason's delay has passed → nurture in the MAP, one cycle per interval. */
public final class RecycleRoute extends PolledFlowRoute {

    public static final String FLOW = "recycle";

    public RecycleRoute() {
        super(FLOW);
    }

    @Override
    void steps(FilterDefinition cycle) {
        cycle.bean("nurtureRecycler", "recycle");
    }
}
