package dev.handoff.routes;

import java.util.List;
import org.apache.camel.RoutesBuilder;

class HandoffRouteTest extends PollingFlowRouteTestSupport {

    @Override
    String flow() {
        return HandoffRoute.FLOW;
    }

    @Override
    RoutesBuilder route() {
        return new HandoffRoute();
    }

    @Override
    List<String> steps() {
        return List.of("mapIntake.poll", "qualifyAndHandOff.run");
    }
}
