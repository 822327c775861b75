package dev.handoff.flow;

import dev.handoff.definition.Definition;
import dev.handoff.error.ErrorClass;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerLead;
import dev.handoff.ledger.Records;
import dev.handoff.salesforce.SalesforceApiBudget;
import dev.handoff.salesforce.SalesforceConfig;
import dev.handoff.salesforce.SalesforceGateway;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handoff: sends MQLs to Salesforce as Leads, 200 per upsert, keyed by the MAP id so that a
 * replay after a crash updates the Lead it already created instead of creating another. A Lead
 * Salesforce refuses for good is quarantined with the code; a locked row waits for the next poll.
 */
public final class SalesforceLeadWriter {

    /** Custom Lead fields this writer sets (besides the external id); config/salesforce ships their metadata. */
    public static final String SCORE_FIELD = "Handoff_Score__c";
    public static final String FIT_SCORE_FIELD = "Handoff_Fit_Score__c";
    public static final String ENGAGEMENT_SCORE_FIELD = "Handoff_Engagement_Score__c";
    public static final String GRADE_FIELD = "Handoff_Grade__c";
    public static final String EXPLANATION_FIELD = "Handoff_Explanation__c";
    public static final String DEFINITION_VERSION_FIELD = "Handoff_Definition_Version__c";
    public static final String SLA_DUE_FIELD = "Handoff_SLA_Due__c";
    /** False at handoff; the SLA monitor sets it when sales let the accept window pass. */
    public static final String SLA_BREACHED_FIELD = "Handoff_SLA_Breached__c";
    public static final List<String> CUSTOM_FIELDS = List.of(SCORE_FIELD, FIT_SCORE_FIELD, ENGAGEMENT_SCORE_FIELD,
            GRADE_FIELD, EXPLANATION_FIELD, DEFINITION_VERSION_FIELD, SLA_DUE_FIELD, SLA_BREACHED_FIELD);

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceLeadWriter.class);
    private static final Map<String, String> FIELDS = Map.of(
            "email", "Email", "first_name", "FirstName", "last_name", "LastName", "company", "Company",
            "title", "Title", "industry", "Industry", "country", "Country");

    private final SalesforceGateway gateway;
    private final SalesforceConfig config;
    private final Ledger ledger;
    private final Definition definition;
    private final Clock clock;
    private dev.handoff.salesforce.LeadFieldFitter fitter;
    /** Up to {@code handoff.salesforce.max-concurrent} calls of one round at once. */
    private final java.util.concurrent.ExecutorService calls;

    public SalesforceLeadWriter(SalesforceGateway gateway, SalesforceConfig config, Ledger ledger, Definition definition,
            Clock clock) {
        this.gateway = gateway;
        this.config = config;
        this.ledger = ledger;
        this.definition = definition;
        this.clock = clock;
        this.calls = Prefetch.executor("handoff-salesforce", config.maxConcurrent());
    }

    /**
     * Every Lead field this writer sets besides the external id, with the kind of value it sends
     * and the length it needs; {@code handoff check} verifies them against {@code describeSObject}.
     */
    public static List<dev.handoff.salesforce.FieldRequirement> fieldRequirements() {
        List<dev.handoff.salesforce.FieldRequirement> out = new ArrayList<>();
        new java.util.TreeSet<>(FIELDS.values()).forEach(f -> out.add(dev.handoff.salesforce.FieldRequirement.text(f, 1)));
        out.add(dev.handoff.salesforce.FieldRequirement.text("LeadSource", 1));
        out.add(dev.handoff.salesforce.FieldRequirement.number("AnnualRevenue"));
        out.add(dev.handoff.salesforce.FieldRequirement.number("NumberOfEmployees"));
        out.add(dev.handoff.salesforce.FieldRequirement.number(SCORE_FIELD));
        out.add(dev.handoff.salesforce.FieldRequirement.number(FIT_SCORE_FIELD));
        out.add(dev.handoff.salesforce.FieldRequirement.number(ENGAGEMENT_SCORE_FIELD));
        out.add(dev.handoff.salesforce.FieldRequirement.text(GRADE_FIELD, 2));
        out.add(dev.handoff.salesforce.FieldRequirement.text(EXPLANATION_FIELD, 1000));
        out.add(dev.handoff.salesforce.FieldRequirement.text(DEFINITION_VERSION_FIELD, 40));
        out.add(dev.handoff.salesforce.FieldRequirement.dateTime(SLA_DUE_FIELD));
        out.add(dev.handoff.salesforce.FieldRequirement.flag(SLA_BREACHED_FIELD));
        return List.copyOf(out);
    }

    /** @return the number of Leads handed off */
    public int handOff() {
        return BatchDrain.drain(config.dedupeBatchSize(), ledger::awaitingHandoff, LedgerLead::mapId, this::write);
    }

    /**
     * Hands off full rounds only: a full dedupe lookup's worth of MQLs (1,000 by default, one query
     * per object) rounded down to whole upserts, leaving the rest for {@link #handOff}. Used while
     * qualification is still adding MQLs: writing early then costs not a single call more than
     * writing everything after qualification would.
     *
     * @return the number of Leads handed off
     */
    public int handOffFullRounds() {
        int size = config.dedupeBatchSize();
        int whole = config.upsertBatchSize();
        int round = size >= whole ? size / whole * whole : size;
        return BatchDrain.drain(size, (after, n) -> {
            List<LedgerLead> awaiting = ledger.awaitingHandoff(after, n);
            return awaiting.size() < n ? List.of() : awaiting.subList(0, round);
        }, LedgerLead::mapId, this::write);
    }

    /** What dedupe decided for each MQL of a batch. */
    private record Plan(List<SalesforceGateway.CrmLead> writes, List<LedgerLead> written,
            List<Records.ExistingContact> existingContacts, List<Records.Quarantine> refused) {
    }

    /**
     * One dedupe lookup per system object for the whole batch (up to 1,000 emails per query), then
     * the upserts 200 at a time.
     */
    private int write(List<LedgerLead> batch) {
        Instant now = clock.instant();
        Instant slaDue = now.plus(definition.sla().acceptWithin());
        Plan plan = dedupe(batch, now, slaDue);
        // Dedupe outcomes first: they need no call, and a later failure must not lose them.
        if (!plan.existingContacts().isEmpty()) {
            ledger.recordExistingContacts(plan.existingContacts());
        }
        if (!plan.refused().isEmpty()) {
            ledger.quarantine(plan.refused());
        }
        // The round's upserts run in parallel (handoff.salesforce.max-concurrent); each is recorded as it succeeds, so a
        // failed one loses nothing of the others, and the first failure is raised once all have finished.
        List<java.util.concurrent.Future<Upserted>> upserts = new ArrayList<>();
        for (int from = 0; from < plan.writes().size(); from += config.upsertBatchSize()) {
            int to = Math.min(plan.writes().size(), from + config.upsertBatchSize());
            List<SalesforceGateway.CrmLead> writes = plan.writes().subList(from, to);
            List<LedgerLead> leads = plan.written().subList(from, to);
            upserts.add(calls.submit(() -> upsert(writes, leads, now, slaDue)));
        }
        int handedOff = 0;
        int created = 0;
        int quarantined = plan.refused().size();
        int retryLater = 0;
        RuntimeException failure = null;
        for (java.util.concurrent.Future<Upserted> f : upserts) {
            try {
                Upserted u = Prefetch.await(f);
                handedOff += u.handedOff();
                created += u.created();
                quarantined += u.quarantined();
                retryLater += u.retryLater();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        SalesforceApiBudget.Usage usage = gateway.apiUsage();
        LOG.info("handoff: {} Leads upserted ({} created, {} already there), {} already Contacts, {} quarantined, {} to retry;"
                + " Salesforce API budget {} of {} calls in 24 h", handedOff, created, handedOff - created,
                plan.existingContacts().size(), quarantined, retryLater, usage.ourCalls24h(), usage.ceiling());
        return handedOff + plan.existingContacts().size();
    }

    /** What one upsert call (with its per-record retries) did. */
    private record Upserted(int handedOff, int created, int quarantined, int retryLater) {
    }

    /** One upsert of up to 200 Leads, retrying the records Salesforce could not write for a passing reason. */
    private Upserted upsert(List<SalesforceGateway.CrmLead> writes, List<LedgerLead> leads, Instant now, Instant slaDue) {
        Map<String, LedgerLead> byId = new LinkedHashMap<>();
        leads.forEach(l -> byId.put(l.mapId(), l));
        List<SalesforceGateway.CrmLead> pending = writes;
        List<Records.HandedOff> done = new ArrayList<>();
        List<Records.Quarantine> refused = new ArrayList<>();
        int created = 0;
        for (int attempt = 0; attempt <= config.recordRetries() && !pending.isEmpty(); attempt++) {
            List<SalesforceGateway.CrmLead> again = new ArrayList<>();
            List<SalesforceGateway.UpsertOutcome> outcomes = gateway.upsertLeads(pending);
            for (int i = 0; i < outcomes.size(); i++) {
                SalesforceGateway.UpsertOutcome o = outcomes.get(i);
                LedgerLead l = byId.get(o.externalId());
                if (o.success()) {
                    done.add(new Records.HandedOff(l.mapId(), o.crmId(), now, slaDue));
                    created += o.created() ? 1 : 0;
                } else if (o.errorClass() == ErrorClass.TRANSIENT) {
                    again.add(pending.get(i));
                } else {
                    refused.add(new Records.Quarantine(l.mapId(), null, SalesforceGateway.SYSTEM, o.code(), o.message(),
                            "HANDOFF"));
                    LOG.warn("quarantined lead {} ({}): Salesforce {} {}", l.mapId(), LedgerLead.maskEmail(l.email()),
                            o.code(), o.message());
                }
            }
            pending = again;
        }
        // Recorded per upsert: if another call of this round fails, these stay handed off.
        ledger.recordHandoffs(done);
        if (!refused.isEmpty()) {
            ledger.quarantine(refused);
        }
        pending.forEach(p -> LOG.info("handoff: Salesforce could not write lead {} now; retrying on the next poll",
                p.externalId()));
        return new Upserted(done.size(), created, refused.size(), pending.size());
    }

    private Plan dedupe(List<LedgerLead> batch, Instant now, Instant slaDue) {
        List<String> emails = batch.stream().map(LedgerLead::email).filter(java.util.Objects::nonNull).toList();
        // the two lookups are independent: the Contact one runs beside the Lead one
        java.util.concurrent.Future<List<SalesforceGateway.ExistingRecord>> contactLookup =
                config.existingContact() == SalesforceConfig.DedupePolicy.SKIP && !emails.isEmpty()
                        ? calls.submit(() -> gateway.contactsByEmail(emails)) : null;
        Map<String, List<SalesforceGateway.ExistingRecord>> leads = new HashMap<>();
        try {
            if (config.existingLead() == SalesforceConfig.DedupePolicy.ATTACH && !emails.isEmpty()) {
                gateway.openLeadsByEmail(emails).forEach(l -> leads.computeIfAbsent(key(l.email()), k -> new ArrayList<>()).add(l));
            }
        } finally {
            if (contactLookup != null && !contactLookup.isDone()) {
                // on a failed Lead lookup, still wait for the Contact one: a round never leaves a call behind
                try {
                    contactLookup.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException e) {
                    // reported by Prefetch.await below when the Lead lookup succeeded
                }
            }
        }
        Map<String, SalesforceGateway.ExistingRecord> contacts = new HashMap<>();
        if (contactLookup != null) {
            Prefetch.await(contactLookup).forEach(c -> contacts.putIfAbsent(key(c.email()), c));
        }
        Plan plan = new Plan(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<String, String> emailTakenBy = new HashMap<>();
        for (LedgerLead l : batch) {
            String email = key(l.email());
            SalesforceGateway.ExistingRecord contact = contacts.get(email);
            if (contact != null) {
                plan.existingContacts().add(new Records.ExistingContact(l.mapId(), contact.id(), contact.ownerId(), now));
                continue;
            }
            String earlier = email == null ? null : emailTakenBy.putIfAbsent(email, l.mapId());
            if (earlier != null) {
                plan.refused().add(new Records.Quarantine(l.mapId(), null, SalesforceGateway.SYSTEM, "DUPLICATE_EMAIL",
                        "MAP lead " + earlier + " in the same batch has the same email; merge them in the MAP", "HANDOFF"));
                continue;
            }
            List<SalesforceGateway.ExistingRecord> sameEmail = leads.getOrDefault(email, List.of());
            boolean ours = sameEmail.stream().anyMatch(e -> l.mapId().equals(e.externalId()));
            String attachTo = null;
            if (!ours && !sameEmail.isEmpty()) {
                java.util.Optional<SalesforceGateway.ExistingRecord> unclaimed =
                        sameEmail.stream().filter(e -> e.externalId() == null).findFirst();
                if (unclaimed.isEmpty()) {
                    SalesforceGateway.ExistingRecord other = sameEmail.get(0);
                    plan.refused().add(new Records.Quarantine(l.mapId(), null, SalesforceGateway.SYSTEM, "DUPLICATE_EMAIL",
                            "Salesforce Lead " + other.id() + " already holds this email for MAP lead "
                                    + other.externalId() + "; merge them in the MAP", "HANDOFF"));
                    continue;
                }
                attachTo = unclaimed.get().id();
            }
            dev.handoff.salesforce.LeadFieldFitter.Fitted fitted = fitter().fit(fields(l, slaDue));
            if (!fitted.sendable()) {
                dev.handoff.salesforce.LeadFieldFitter.Problem p = fitted.firstProblem().orElseThrow();
                plan.refused().add(new Records.Quarantine(l.mapId(), null, SalesforceGateway.SYSTEM, p.code(), p.message(),
                        "HANDOFF"));
                continue;
            }
            fitted.truncated().forEach(t -> LOG.info("handoff: lead {} {} cut from {} to {} characters (Salesforce field length)",
                    l.mapId(), t.field(), t.originalLength(), t.length()));
            plan.writes().add(new SalesforceGateway.CrmLead(l.mapId(), fitted.fields(), attachTo));
            plan.written().add(l);
        }
        return plan;
    }

    /**
     * Lead's field lengths and picklists as this org defines them, read once: values are cut to
     * fit and unknown picklist values caught here instead of bouncing off Salesforce one by one.
     */
    private synchronized dev.handoff.salesforce.LeadFieldFitter fitter() {
        if (fitter == null) {
            fitter = new dev.handoff.salesforce.LeadFieldFitter(gateway.describe("Lead"));
        }
        return fitter;
    }

    /**
     * Opens the Salesforce session and reads the Lead field metadata now (one describe call, which
     * the first handoff would make anyway), so the first leads pushed by webhook do not wait for
     * them.
     */
    public void prepare() {
        fitter();
    }

    private static String key(String email) {
        return email == null ? null : email.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private Map<String, Object> fields(LedgerLead l, Instant slaDue) {
        Map<String, Object> f = new LinkedHashMap<>();
        FIELDS.forEach((normalized, sf) -> {
            String v = l.snapshot().get(normalized);
            if (v != null) {
                f.put(sf, v);
            }
        });
        number(l.snapshot().get("annual_revenue")).ifPresent(n -> f.put("AnnualRevenue", n.doubleValue()));
        number(l.snapshot().get("employees")).ifPresent(n -> f.put("NumberOfEmployees", n.intValue()));
        f.put("LeadSource", l.snapshot().getOrDefault("lead_source", config.leadSource()));
        int fit = l.fitScore() == null ? 0 : l.fitScore();
        int engagement = l.engagementScore() == null ? 0 : l.engagementScore();
        f.put(SCORE_FIELD, (double) (fit + engagement));
        f.put(FIT_SCORE_FIELD, (double) fit);
        f.put(ENGAGEMENT_SCORE_FIELD, (double) engagement);
        f.put(GRADE_FIELD, l.grade());
        f.put(EXPLANATION_FIELD, l.explanation());
        f.put(DEFINITION_VERSION_FIELD, l.definitionVersion());
        Calendar due = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        due.setTimeInMillis(slaDue.toEpochMilli());
        f.put(SLA_DUE_FIELD, due);
        f.put(SLA_BREACHED_FIELD, Boolean.FALSE);
        return f;
    }

    private static java.util.Optional<BigDecimal> number(String text) {
        if (text == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }
}
