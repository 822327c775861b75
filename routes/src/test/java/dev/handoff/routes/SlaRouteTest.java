package dev.handoff.routes;

import java.util.List;
import org.apache.camel.RoutesBuilder;

class SlaRouteTest extends PollingFlowRouteTestSupport {

    @Override
    String flow() {
        return SlaRoute.FLOW;
    }

    @Override
    RoutesBuilder route() {
        return new SlaRoute();
    }

    @Override
    List<String> steps() {
        return List.of("slaMonitor.check");
    }
}
