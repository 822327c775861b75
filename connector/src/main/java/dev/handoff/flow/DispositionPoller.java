package dev.handoff.flow;

import dev.handoff.definition.Definition;
import dev.handoff.definition.RejectReason;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Records;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disposition: reads the Leads changed in Salesforce since the watermark and records sales'
 * verdicts. Only Leads whose status is a verdict (or that were converted, deleted or merged) are
 * read, and only a real change of a sales-owned field (status, reject reason, comment) counts: a
 * Lead we upserted again after its verdict comes back unchanged and is ignored.
 */
public final class DispositionPoller {

    public static final String WATERMARK = "salesforce.dispositions";
    private static final Logger LOG = LoggerFactory.getLogger(DispositionPoller.class);

    private final SalesforceGateway gateway;
    private final SalesforceConfig config;
    private final Ledger ledger;
    private final Definition definition;

    /** What one poll saw: pages read, records read, verdicts that changed something. */
    public record PollResult(int pages, int records, int verdicts) {
    }

    public DispositionPoller(SalesforceGateway gateway, SalesforceConfig config, Ledger ledger, Definition definition) {
        this.gateway = gateway;
        this.config = config;
        this.ledger = ledger;
        this.definition = definition;
    }

    public PollResult poll() {
        java.util.Optional<String> watermark = ledger.watermark(WATERMARK);
        if (watermark.isEmpty() && !ledger.anyHandedOff()) {
            return new PollResult(0, 0, 0);
        }
        Instant since = watermark.map(Instant::parse).orElse(config.dispositionSince());
        int[] counts = new int[2];
        int pages = gateway.changedLeadsSince(since, page -> {
            counts[0] += page.size();
            counts[1] += record(page);
        });
        if (counts[1] > 0) {
            LOG.info("disposition: {} sales verdicts recorded from {} changed Leads", counts[1], counts[0]);
        }
        return new PollResult(pages, counts[0], counts[1]);
    }

    private int record(List<SalesforceGateway.LeadChange> page) {
        Map<String, LedgerLead> known = ledger.byMapIds(page.stream().map(SalesforceGateway.LeadChange::externalId)
                .filter(Objects::nonNull).toList());
        List<Records.Disposition> verdicts = new ArrayList<>();
        Instant newest = page.get(0).systemModstamp();
        for (SalesforceGateway.LeadChange c : page) {
            newest = c.systemModstamp().isAfter(newest) ? c.systemModstamp() : newest;
            LedgerLead lead = known.get(c.externalId());
            if (lead == null) {
                LOG.warn("disposition: Salesforce Lead {} carries external id {} that the ledger does not know", c.crmId(),
                        c.externalId());
                continue;
            }
            toVerdict(c).filter(v -> changed(lead, v)).ifPresent(verdicts::add);
        }
        ledger.recordDispositions(verdicts, WATERMARK, newest.toString());
        return verdicts.size();
    }

    private Optional<Records.Disposition> toVerdict(SalesforceGateway.LeadChange c) {
        if (c.deleted()) {
            return Optional.of(removed(c));
        }
        if (c.converted()) {
            return Optional.of(new Records.Disposition(c.externalId(), c.status(), Records.Verdict.ACCEPTED, null, null,
                    c.ownerId(), c.systemModstamp(), null, null,
                    new Records.Conversion(c.systemModstamp(), c.contactId(), c.opportunityId())));
        }
        Records.Verdict verdict;
        if (config.acceptedStatuses().contains(c.status())) {
            verdict = Records.Verdict.ACCEPTED;
        } else if (config.rejectedStatuses().contains(c.status())) {
            verdict = Records.Verdict.REJECTED;
        } else {
            return Optional.empty();
        }
        String action = null;
        Instant recycleAt = null;
        if (verdict == Records.Verdict.REJECTED) {
            Optional<RejectReason> reason = c.rejectReason() == null ? Optional.empty() : definition.rejectReason(c.rejectReason());
            if (reason.isPresent()) {
                action = reason.get().action().name();
                if (reason.get().action() == RejectReason.Action.RECYCLE) {
                    recycleAt = c.systemModstamp().plus(java.time.Duration.ofDays(reason.get().afterDays()));
                }
            } else {
                LOG.warn("disposition: Lead {} rejected with reason '{}' that {} does not define", c.crmId(),
                        c.rejectReason(), definition.label());
            }
        }
        return Optional.of(new Records.Disposition(c.externalId(), c.status(), verdict,
                verdict == Records.Verdict.REJECTED ? c.rejectReason() : null,
                verdict == Records.Verdict.REJECTED ? c.rejectComment() : null, c.ownerId(), c.systemModstamp(),
                action, recycleAt));
    }

    /**
     * A Lead merged into another is a duplicate in sales' eyes; one simply deleted was thrown away.
     * Both are rejections marketing must hear about.
     */
    private Records.Disposition removed(SalesforceGateway.LeadChange c) {
        boolean merged = c.masterRecordId() != null;
        String reason = merged && definition.rejectReason("DUPLICATE").isPresent() ? "DUPLICATE" : null;
        String action = reason == null ? null : definition.rejectReason(reason).get().action().name();
        String comment = merged ? "merged into Salesforce Lead " + c.masterRecordId() : "deleted in Salesforce";
        LOG.info("disposition: Salesforce Lead {} (lead {}) was {}", c.crmId(), c.externalId(), comment);
        return new Records.Disposition(c.externalId(), merged ? "MERGED" : "DELETED", Records.Verdict.REJECTED, reason,
                comment, c.ownerId(), c.systemModstamp(), action, null);
    }

    private static boolean changed(LedgerLead lead, Records.Disposition v) {
        if (lead.state() != LeadState.HANDED_OFF && lead.state() != LeadState.ACCEPTED && lead.state() != LeadState.REJECTED) {
            return false;
        }
        return !(lead.state().name().equals(v.verdict().name()) && Objects.equals(lead.salesStatus(), v.salesStatus())
                && Objects.equals(lead.rejectReason(), v.rejectReason())
                && Objects.equals(lead.rejectComment(), v.rejectComment())
                && (v.conversion() == null || Objects.equals(lead.opportunityId(), v.conversion().opportunityId())));
    }
}
