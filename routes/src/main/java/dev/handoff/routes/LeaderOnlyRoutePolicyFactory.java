package dev.handoff.routes;

import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicyFactory;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/**
 * Puts Camel's {@code ClusteredRoutePolicy} on the named routes only: they start when this
 * replica becomes leader of the namespace and stop when it loses leadership. Every other route
 * (the webhook intake, which only writes to the ledger) runs on every replica.
 */
public final class LeaderOnlyRoutePolicyFactory implements RoutePolicyFactory {

    private final RoutePolicyFactory clustered;
    private final Set<String> routeIds;

    public LeaderOnlyRoutePolicyFactory(CamelClusterService cluster, String namespace, Set<String> routeIds) {
        this.clustered = ClusteredRoutePolicyFactory.forNamespace(cluster, namespace);
        this.routeIds = Set.copyOf(routeIds);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        return routeIds.contains(routeId) ? clustered.createRoutePolicy(camelContext, routeId, route) : null;
    }
}
