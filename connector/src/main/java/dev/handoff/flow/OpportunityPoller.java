package dev.handoff.flow;

import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.Records;
import dev.handoff.salesforce.SalesforceGateway;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcome: follows the opportunities converted leads became until they close, so marketing sees
 * won and lost on its own leads and the agreement's quality target can be measured.
 */
public final class OpportunityPoller {

    private static final Logger LOG = LoggerFactory.getLogger(OpportunityPoller.class);
    private static final int BATCH = 500;

    private final SalesforceGateway gateway;
    private final Ledger ledger;

    public OpportunityPoller(SalesforceGateway gateway, Ledger ledger) {
        this.gateway = gateway;
        this.ledger = ledger;
    }

    /** @return how many leads' outcomes changed */
    public int poll() {
        return BatchDrain.drain(BATCH, ledger::openOpportunities, LedgerLead::mapId, this::refresh);
    }

    private int refresh(List<LedgerLead> leads) {
        List<Records.Opportunity> states = gateway.opportunities(leads.stream().map(LedgerLead::opportunityId).toList());
        int changed = ledger.recordOpportunities(states);
        if (changed > 0) {
            long won = states.stream().filter(o -> "WON".equals(o.outcome())).count();
            long lost = states.stream().filter(o -> "LOST".equals(o.outcome())).count();
            LOG.info("outcome: {} opportunities changed ({} won, {} lost so far in this batch)", changed, won, lost);
        }
        return changed;
    }
}
