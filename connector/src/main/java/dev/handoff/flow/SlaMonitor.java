package dev.handoff.flow;

import dev.handoff.definition.Definition;
import dev.handoff.error.ErrorClass;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.map.MapGateway;
import dev.handoff.salesforce.SalesforceGateway;
import dev.handoff.sla.SlaAlert;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SLA monitor: finds handed-off leads past their accept window with no sales verdict and flags
 * them, a batch at a time: {@code Handoff_SLA_Breached__c = true} on the Salesforce Lead (one
 * {@code update} per batch), the "SLA breached" field in the MAP (one call per batch), the time in
 * the ledger, a log line, the {@link #breachesFlagged() counter}, and the optional alert webhook.
 *
 * <p>A Lead Salesforce cannot update right now (a locked row) waits for the next cycle; one it
 * refuses for good (deleted meanwhile) is still flagged everywhere else: the breach happened. A
 * lead the MAP refuses is logged and flagged in the ledger, never quarantined, so its verdict still
 * flows when sales decides.
 */
public final class SlaMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(SlaMonitor.class);
    /** Leads named in one log line; the count covers them all. */
    private static final int LOGGED = 20;

    /** Sets fields on existing Leads by Id: {@link SalesforceGateway#updateLeads}. */
    @FunctionalInterface
    public interface CrmUpdater {
        List<SalesforceGateway.UpdateOutcome> update(List<SalesforceGateway.LeadUpdate> updates);
    }

    private final CrmUpdater crm;
    private final int crmBatchSize;
    private final MapGateway map;
    private final Ledger ledger;
    private final Definition definition;
    private final SlaAlert alert;
    private final Clock clock;
    private final java.time.Duration grace;
    private final AtomicLong flagged = new AtomicLong();
    private final AtomicLong alertsSent = new AtomicLong();

    /**
     * @param grace how long after a due time the monitor waits before judging it: the disposition
     *              poll's interval, so a verdict sales gave just before the due time has been read
     *              from Salesforce before the lead is called overdue
     */
    public SlaMonitor(CrmUpdater crm, int crmBatchSize, MapGateway map, Ledger ledger, Definition definition, SlaAlert alert,
            Clock clock, java.time.Duration grace) {
        if (crmBatchSize < 1 || crmBatchSize > 200) {
            throw new IllegalArgumentException("crmBatchSize must be 1..200, got " + crmBatchSize);
        }
        this.crm = crm;
        this.crmBatchSize = crmBatchSize;
        this.map = map;
        this.ledger = ledger;
        this.definition = definition;
        this.alert = alert;
        this.clock = clock;
        this.grace = grace;
    }

    /** @return the number of leads flagged as breached in this run */
    public int check() {
        int size = Math.min(crmBatchSize, map.writeBatchSize());
        Instant dueBy = clock.instant().minus(grace);
        return BatchDrain.drain(size, (after, n) -> ledger.slaOverdue(dueBy, after, n), LedgerLead::mapId, this::flag);
    }

    /** Leads this process has flagged since it started (the ledger keeps the durable count). */
    public long breachesFlagged() {
        return flagged.get();
    }

    /** Alerts the webhook accepted since this process started. */
    public long alertsSent() {
        return alertsSent.get();
    }

    private int flag(List<LedgerLead> batch) {
        Instant now = clock.instant();
        List<SalesforceGateway.LeadUpdate> updates = batch.stream()
                .map(l -> new SalesforceGateway.LeadUpdate(l.crmId(),
                        Map.of(SalesforceLeadWriter.SLA_BREACHED_FIELD, Boolean.TRUE)))
                .toList();
        List<SalesforceGateway.UpdateOutcome> outcomes = crm.update(updates);
        Set<String> retryLater = new HashSet<>();
        for (int i = 0; i < outcomes.size(); i++) {
            SalesforceGateway.UpdateOutcome o = outcomes.get(i);
            LedgerLead l = batch.get(i);
            if (o.success()) {
                continue;
            }
            if (o.errorClass() == ErrorClass.TRANSIENT) {
                retryLater.add(l.mapId());
                LOG.info("sla: Salesforce could not flag lead {} now ({}); retrying on the next cycle", l.mapId(), o.code());
            } else {
                LOG.warn("sla: Salesforce refused the SLA flag on Lead {} of lead {} ({}): {} {}", o.crmId(), l.mapId(),
                        LedgerLead.maskEmail(l.email()), o.code(), o.message());
            }
        }
        List<LedgerLead> breached = batch.stream().filter(l -> !retryLater.contains(l.mapId())).toList();
        if (breached.isEmpty()) {
            return 0;
        }
        List<String> ids = breached.stream().map(LedgerLead::mapId).toList();
        for (MapGateway.FeedbackResult r : map.flagSlaBreached(ids)) {
            if (!r.ok()) {
                LOG.warn("sla: {} refused the SLA flag on lead {}: {} {}", map.system(), r.mapId(), r.code(), r.message());
            }
        }
        ledger.recordSlaBreaches(ids, now);
        flagged.addAndGet(ids.size());
        LOG.warn("sla: {} leads past their accept window ({}) without a verdict from sales: {}{}", ids.size(),
                dev.handoff.sla.SlaText.duration(definition.sla().acceptWithin()),
                breached.stream().limit(LOGGED).map(l -> l.mapId() + " (" + LedgerLead.maskEmail(l.email()) + ", Lead "
                        + l.crmId() + ", due " + l.slaDueAt() + ")").collect(Collectors.joining(", ")),
                breached.size() > LOGGED ? " and " + (breached.size() - LOGGED) + " more" : "");
        if (alert.enabled()) {
            List<SlaAlert.Breach> items = new ArrayList<>(breached.size());
            breached.forEach(l -> items.add(new SlaAlert.Breach(l.mapId(), l.crmId(), l.grade(), l.handedOffAt(), l.slaDueAt())));
            if (alert.send(definition.label(), definition.sla().acceptWithin(), items, now)) {
                alertsSent.incrementAndGet();
            }
        }
        return ids.size();
    }
}
