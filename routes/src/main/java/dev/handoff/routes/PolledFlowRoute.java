package dev.handoff.routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.FilterDefinition;

/**
 * The shape every polling flow shares: a timer ticks, the poll schedule decides whether a cycle is
 * due, the cycle's steps run in order, and the schedule hears that the cycle ended, however it
 * ended. Subclasses only name their steps.
 */
abstract class PolledFlowRoute extends RouteBuilder {

    private final String flow;

    PolledFlowRoute(String flow) {
        this.flow = flow;
    }

    /** Adds this flow's steps to a cycle. */
    abstract void steps(FilterDefinition cycle);

    @Override
    public final void configure() {
        FilterDefinition cycle = from("timer:" + flow + "?period={{route.tick-ms}}&delay=0")
                .routeId(flow)
                .routeConfigurationId("handoff-errors")
                .onCompletion()
                    .bean("pollSchedule", "finish('" + flow + "')")
                .end()
                .filter(method("pollSchedule", "tryStart('" + flow + "')"));
        steps(cycle);
        cycle.end();
    }
}
