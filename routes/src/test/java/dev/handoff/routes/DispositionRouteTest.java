package dev.handoff.routes;

import java.util.List;
import org.apache.camel.RoutesBuilder;

class DispositionRouteTest extends PollingFlowRouteTestSupport {

    @Override
    String flow() {
        return DispositionRoute.FLOW;
    }

    @Override
    RoutesBuilder route() {
        return new DispositionRoute();
    }

    @Override
    List<String> steps() {
        return List.of("dispositionPoller.poll", "feedbackWriter.writePending", "nurtureRecycler.recycle");
    }
}
