package dev.handoff.routes;

import java.util.List;
import org.apache.camel.RoutesBuilder;

class RecycleRouteTest extends PollingFlowRouteTestSupport {

    @Override
    String flow() {
        return RecycleRoute.FLOW;
    }

    @Override
    RoutesBuilder route() {
        return new RecycleRoute();
    }

    @Override
    List<String> steps() {
        return List.of("nurtureRecycler.recycle");
    }
}
