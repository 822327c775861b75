package dev.handoff.routes;

import dev.handoff.ha.HaConfig;
import dev.handoff.ha.LeaderLease;
import javax.sql.DataSource;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Camel's cluster service over the ledger database: each namespace is led by whoever holds its
 * {@link LeaderLease} row. With {@link LeaderOnlyRoutePolicyFactory} the polling flows run only on
 * the leader of {@link LeaderLease#FLOWS}; Camel's {@code ClusteredRoutePolicy} starts and stops
 * them as leadership comes and goes.
 */
public final class LedgerClusterService extends AbstractCamelClusterService<LedgerClusterView> {

    private final DataSource ledger;
    private final HaConfig config;

    public LedgerClusterService(DataSource ledger, HaConfig config) {
        super(config.nodeId());
        this.ledger = ledger;
        this.config = config;
    }

    @Override
    protected LedgerClusterView createView(String namespace) {
        return new LedgerClusterView(this, namespace, new LeaderLease(ledger, namespace, config.nodeId(), config.lease()),
                config);
    }
}
