package dev.handoff.salesforce;

import com.sforce.soap.partner.Connector;
import com.sforce.soap.partner.LimitInfo;
import com.sforce.soap.partner.LimitInfoHeader_element;
import com.sforce.soap.partner.PartnerConnection;
import com.sforce.soap.partner.QueryResult;
import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.fault.ApiFault;
import com.sforce.soap.partner.sobject.SObject;
import com.sforce.ws.ConnectionException;
import com.sforce.ws.ConnectorConfig;
import com.sforce.ws.SoapFaultException;
import dev.handoff.error.ConnectorException;
import dev.handoff.error.ErrorClass;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Salesforce through WSC's {@link PartnerConnection}: upserts Leads keyed by the MAP id, and
 * reads the Leads sales changed. The OAuth token is WSC's session id; an
 * {@code INVALID_SESSION_ID} fault renews it once for every thread and replays the call.
 */
public final class SalesforceGateway {

    public static final String SYSTEM = "salesforce";
    public static final String LEAD_CHANGE_FIELDS = "Id, %s, Status, Reject_Reason__c, Reject_Comment__c, OwnerId, "
            + "SystemModstamp, IsDeleted, MasterRecordId, IsConverted, ConvertedOpportunityId, ConvertedContactId";
    /** SOQL statements stop well short of Salesforce's 100,000-character limit. */
    static final int MAX_STATEMENT_CHARS = 90_000;

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceGateway.class);
    private static final java.time.Duration SESSION_MARGIN = java.time.Duration.ofMinutes(5);

    private final SalesforceConfig config;
    private final SalesforceAuthenticator authenticator;
    private final java.time.Clock clock;
    /** The open session (null: open one before the next call), shared by every thread; guarded by this. */
    private SalesforceAuthenticator.Session session;
    private Instant lastUsed;
    private long sessionGeneration;
    /**
     * Each thread's WSC connection on the current session. Calls from several threads (the handoff
     * writer's parallel upserts, the disposition poll) run at once; they share the session but not
     * a connection, because WSC keeps each call's response headers (the API usage) on it.
     */
    private final ThreadLocal<Held> held = new ThreadLocal<>();

    private record Held(long generation, PartnerConnection connection) {
    }
    private final SalesforceApiBudget budget;
    private final io.github.resilience4j.retry.Retry retry;
    private final dev.handoff.transport.SystemCircuit circuit;
    private final java.util.concurrent.atomic.AtomicLong dedupeLookups = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A Lead to write: the external id (MAP id) and Salesforce field values. With a {@code crmId}
     * the write goes onto that existing Lead (found by dedupe) and attaches our external id to it.
     */
    public record CrmLead(String externalId, Map<String, Object> fields, String crmId) {
        public CrmLead(String externalId, Map<String, Object> fields) {
            this(externalId, fields, null);
        }
    }

    /** A Lead or Contact that already holds an email we are about to hand off. */
    public record ExistingRecord(String type, String id, String email, String externalId, String ownerId) {
    }

    /** What happened to one upserted Lead, in input order. */
    public record UpsertOutcome(String externalId, boolean success, boolean created, String crmId, String code,
            String message, ErrorClass errorClass) {
    }

    /** A Lead as the disposition poll reads it, including deletion, merge and conversion. */
    public record LeadChange(String crmId, String externalId, String status, String rejectReason,
            String rejectComment, String ownerId, Instant systemModstamp, boolean deleted, String masterRecordId,
            boolean converted, String opportunityId, String contactId) {
        public LeadChange(String crmId, String externalId, String status, String rejectReason, String rejectComment,
                String ownerId, Instant systemModstamp) {
            this(crmId, externalId, status, rejectReason, rejectComment, ownerId, systemModstamp, false, null, false, null,
                    null);
        }
    }

    public SalesforceGateway(SalesforceConfig config, SalesforceAuthenticator authenticator, java.time.Clock clock) {
        this(config, authenticator, clock, dev.handoff.transport.SystemCircuit.alwaysClosed(SYSTEM));
    }

    /** A gateway whose calls go through {@code circuit}, which fails them fast while Salesforce is down. */
    public SalesforceGateway(SalesforceConfig config, SalesforceAuthenticator authenticator, java.time.Clock clock,
            dev.handoff.transport.SystemCircuit circuit) {
        this.circuit = circuit;
        this.config = config;
        this.authenticator = authenticator;
        this.clock = clock;
        this.budget = new SalesforceApiBudget(clock, config.apiBudgetShare(), config.limitBackoff());
        this.retry = io.github.resilience4j.retry.Retry.of("salesforce", io.github.resilience4j.retry.RetryConfig.custom()
                .maxAttempts(config.callRetries() + 1)
                .intervalFunction(io.github.resilience4j.core.IntervalFunction.ofExponentialRandomBackoff(
                        config.callRetryDelay(), 2.0, 0.5))
                .retryOnException(e -> e instanceof ConnectorException ce && ce.isTransient()
                        && !ce.code().startsWith("REQUEST_LIMIT") && !"API_BUDGET_SPENT".equals(ce.code())
                        && !dev.handoff.transport.SystemCircuit.OPEN_CODE.equals(ce.code()))
                .failAfterMaxAttempts(false)
                .build());
    }

    public SalesforceApiBudget.Usage apiUsage() {
        return budget.usage();
    }

    /** Every call Salesforce answered since start (monotonic). */
    public long apiCallsMade() {
        return budget.totalCalls();
    }

    /** Emails looked up so far, counted once per object searched (Lead, Contact). */
    public long dedupeLookups() {
        return dedupeLookups.get();
    }

    /**
     * Writes up to 200 Leads: new ones by external id (so a replay updates instead of duplicating),
     * Leads found by dedupe onto their existing record by Id. Outcomes come back in input order.
     */
    public List<UpsertOutcome> upsertLeads(List<CrmLead> leads) {
        if (leads.size() > config.upsertBatchSize()) {
            throw new IllegalArgumentException("at most " + config.upsertBatchSize() + " Leads per upsert, got " + leads.size());
        }
        List<Integer> byKey = new ArrayList<>();
        List<Integer> byId = new ArrayList<>();
        for (int i = 0; i < leads.size(); i++) {
            (leads.get(i).crmId() == null ? byKey : byId).add(i);
        }
        UpsertOutcome[] out = new UpsertOutcome[leads.size()];
        upsert(leads, byKey, config.externalIdField(), out);
        upsert(leads, byId, "Id", out);
        return List.of(out);
    }

    private void upsert(List<CrmLead> leads, List<Integer> indexes, String keyField, UpsertOutcome[] out) {
        if (indexes.isEmpty()) {
            return;
        }
        SObject[] records = new SObject[indexes.size()];
        for (int n = 0; n < indexes.size(); n++) {
            CrmLead lead = leads.get(indexes.get(n));
            SObject so = new SObject("Lead");
            if (lead.crmId() != null) {
                so.setId(lead.crmId());
            }
            so.setField(config.externalIdField(), lead.externalId());
            lead.fields().forEach((k, v) -> {
                if (v != null) {
                    so.setField(k, v);
                }
            });
            records[n] = so;
        }
        UpsertResult[] results = call("upsert", c -> {
            applyWriteHeaders(c);
            try {
                return c.upsert(keyField, records);
            } finally {
                c.clearAssignmentRuleHeader();
                c.clearDuplicateRuleHeader();
            }
        });
        if (results.length != records.length) {
            throw new ConnectorException(SYSTEM, "RESULT_COUNT", ErrorClass.TRANSIENT,
                    "upsert returned " + results.length + " results for " + records.length + " Leads", null);
        }
        for (int n = 0; n < results.length; n++) {
            UpsertResult r = results[n];
            String externalId = leads.get(indexes.get(n)).externalId();
            if (r.isSuccess()) {
                out[indexes.get(n)] = new UpsertOutcome(externalId, true, r.isCreated(), r.getId(), null, null, null);
            } else {
                com.sforce.soap.partner.Error e = r.getErrors().length > 0 ? r.getErrors()[0] : null;
                String code = e == null || e.getStatusCode() == null ? "UNKNOWN_EXCEPTION" : e.getStatusCode().name();
                String message = e == null ? "no error detail" : e.getMessage();
                out[indexes.get(n)] = new UpsertOutcome(externalId, false, false, null, code, message,
                        SalesforceErrorClassifier.classify(code, message));
            }
        }
    }

    /** Field values to set on one existing Lead, found by its Salesforce Id. */
    public record LeadUpdate(String crmId, Map<String, Object> fields) {
    }

    /** What happened to one updated Lead, in input order. */
    public record UpdateOutcome(String crmId, boolean success, String code, String message, ErrorClass errorClass) {
    }

    /**
     * Sets fields on up to 200 existing Leads by Id ({@code update}), one call. Never fires
     * assignment rules: a flag we set must not move a Lead to another rep. Outcomes in input order.
     */
    public List<UpdateOutcome> updateLeads(List<LeadUpdate> updates) {
        if (updates.size() > config.upsertBatchSize()) {
            throw new IllegalArgumentException("at most " + config.upsertBatchSize() + " Leads per update, got " + updates.size());
        }
        if (updates.isEmpty()) {
            return List.of();
        }
        SObject[] records = new SObject[updates.size()];
        for (int n = 0; n < records.length; n++) {
            SObject so = new SObject("Lead");
            so.setId(updates.get(n).crmId());
            updates.get(n).fields().forEach((k, v) -> {
                if (v != null) {
                    so.setField(k, v);
                }
            });
            records[n] = so;
        }
        com.sforce.soap.partner.SaveResult[] results = call("update", c -> c.update(records));
        if (results.length != records.length) {
            throw new ConnectorException(SYSTEM, "RESULT_COUNT", ErrorClass.TRANSIENT,
                    "update returned " + results.length + " results for " + records.length + " Leads", null);
        }
        List<UpdateOutcome> out = new ArrayList<>(results.length);
        for (int n = 0; n < results.length; n++) {
            com.sforce.soap.partner.SaveResult r = results[n];
            if (r.isSuccess()) {
                out.add(new UpdateOutcome(updates.get(n).crmId(), true, null, null, null));
            } else {
                com.sforce.soap.partner.Error e = r.getErrors().length > 0 ? r.getErrors()[0] : null;
                String code = e == null || e.getStatusCode() == null ? "UNKNOWN_EXCEPTION" : e.getStatusCode().name();
                String message = e == null ? "no error detail" : e.getMessage();
                out.add(new UpdateOutcome(updates.get(n).crmId(), false, code, message,
                        SalesforceErrorClassifier.classify(code, message)));
            }
        }
        return out;
    }

    /** Assignment rules keep sales routing Salesforce's; the duplicate-rule header is the admin's call. */
    private void applyWriteHeaders(PartnerConnection c) {
        String rule = config.assignmentRule();
        if ("default".equalsIgnoreCase(rule)) {
            c.setAssignmentRuleHeader(null, Boolean.TRUE);
        } else if (!"none".equalsIgnoreCase(rule)) {
            c.setAssignmentRuleHeader(rule, null);
        }
        c.setDuplicateRuleHeader(config.duplicateRuleAllowSave(), false, true);
    }

    /** Current state of these Opportunities (the outcome of converted Leads), up to 500 ids per query. */
    public List<dev.handoff.ledger.Records.Opportunity> opportunities(java.util.Collection<String> ids) {
        List<dev.handoff.ledger.Records.Opportunity> out = new ArrayList<>();
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
        for (int from = 0; from < all.size(); from += 500) {
            String soql = "SELECT Id, StageName, IsClosed, IsWon, Amount FROM Opportunity WHERE Id IN "
                    + Soql.inList(all.subList(from, Math.min(all.size(), from + 500)));
            forEachPage(soql, false, records -> {
                for (SObject r : records) {
                    String amount = text(r, "Amount");
                    out.add(new dev.handoff.ledger.Records.Opportunity(r.getId(), text(r, "StageName"),
                            "true".equalsIgnoreCase(text(r, "IsClosed")), "true".equalsIgnoreCase(text(r, "IsWon")),
                            amount == null ? null : new java.math.BigDecimal(amount)));
                }
            });
        }
        return out;
    }

    /** Open (unconverted) Leads holding any of these emails, oldest first. */
    public List<ExistingRecord> openLeadsByEmail(java.util.Collection<String> emails) {
        return byEmail("Lead", "Id, Email, OwnerId, " + config.externalIdField(), " AND IsConverted = false", emails);
    }

    /** Contacts holding any of these emails, oldest first. */
    public List<ExistingRecord> contactsByEmail(java.util.Collection<String> emails) {
        return byEmail("Contact", "Id, Email, OwnerId", "", emails);
    }

    private List<ExistingRecord> byEmail(String type, String fields, String extraFilter, java.util.Collection<String> emails) {
        List<ExistingRecord> out = new ArrayList<>();
        dedupeLookups.addAndGet(new java.util.HashSet<>(emails).size());
        String head = "SELECT " + fields + " FROM " + type + " WHERE Email IN (";
        String tail = ")" + extraFilter + " ORDER BY CreatedDate, Id";
        StringBuilder in = new StringBuilder();
        int count = 0;
        for (String email : new java.util.LinkedHashSet<>(emails)) {
            String literal = Soql.quote(email);
            boolean full = count >= config.dedupeBatchSize()
                    || head.length() + in.length() + literal.length() + 2 + tail.length() > MAX_STATEMENT_CHARS;
            if (full && count > 0) {
                collect(type, head + in + tail, out);
                in.setLength(0);
                count = 0;
            }
            in.append(count == 0 ? "" : ", ").append(literal);
            count++;
        }
        if (count > 0) {
            collect(type, head + in + tail, out);
        }
        return out;
    }

    private void collect(String type, String soql, List<ExistingRecord> out) {
        forEachPage(soql, false, records -> {
            for (SObject r : records) {
                out.add(new ExistingRecord(type, r.getId(), text(r, "Email"),
                        "Lead".equals(type) ? text(r, config.externalIdField()) : null, text(r, "OwnerId")));
            }
        });
    }

    private int forEachPage(String soql, boolean includeDeleted, Consumer<SObject[]> pageHandler) {
        QueryResult page = call(includeDeleted ? "queryAll" : "query", c -> {
            c.setQueryOptions(config.queryBatchSize());
            return includeDeleted ? c.queryAll(soql) : c.query(soql);
        });
        int pages = 0;
        while (true) {
            pages++;
            pageHandler.accept(page.getRecords() == null ? new SObject[0] : page.getRecords());
            if (page.isDone() || page.getQueryLocator() == null) {
                return pages;
            }
            String locator = page.getQueryLocator();
            page = call("queryMore", c -> c.queryMore(locator));
        }
    }

    /**
     * Reads our Leads modified at or after {@code since} that carry a verdict (a status in
     * {@code acceptedStatuses} or {@code rejectedStatuses}, converted, deleted or merged), oldest first, a page at a time
     * ({@code query} then {@code queryMore}); each page goes to {@code pageHandler} before the
     * next is requested, so the caller can record it and move its watermark.
     *
     * @return the number of pages read
     */
    public int changedLeadsSince(Instant since, Consumer<List<LeadChange>> pageHandler) {
        String ext = config.externalIdField();
        // Only Leads that carry a verdict: a status sales decides with, a conversion, or a deletion or
        // merge. Our own upserts (and sales' work before deciding) change Leads too, but never
        // make a verdict, so reading them back would only cost transfer and parsing.
        List<String> verdicts = new ArrayList<>(config.acceptedStatuses());
        verdicts.addAll(config.rejectedStatuses());
        String statusIn = verdicts.isEmpty() ? ""
                : "Status IN (" + verdicts.stream().map(Soql::quote).collect(java.util.stream.Collectors.joining(", ")) + ") OR ";
        String soql = "SELECT " + String.format(LEAD_CHANGE_FIELDS, ext) + " FROM Lead WHERE " + ext
                + " != null AND SystemModstamp >= " + soqlDateTime(since) + " AND (" + statusIn
                + "IsConverted = true OR IsDeleted = true) ORDER BY SystemModstamp, Id";
        // queryAll: a Lead sales deleted or merged away is a verdict too, and only queryAll shows it.
        return forEachPage(soql, true, records -> {
            List<LeadChange> changes = new ArrayList<>(records.length);
            for (SObject r : records) {
                changes.add(new LeadChange(r.getId(), text(r, ext), text(r, "Status"), text(r, "Reject_Reason__c"),
                        text(r, "Reject_Comment__c"), text(r, "OwnerId"), parseDateTime(text(r, "SystemModstamp")),
                        "true".equalsIgnoreCase(text(r, "IsDeleted")), text(r, "MasterRecordId"),
                        "true".equalsIgnoreCase(text(r, "IsConverted")), text(r, "ConvertedOpportunityId"),
                        text(r, "ConvertedContactId")));
            }
            if (!changes.isEmpty()) {
                pageHandler.accept(changes);
            }
        });
    }

    /**
     * {@code describeSObject}: the fields of {@code sObjectType} the integration user can see, with
     * their types, lengths, permissions and picklists. One API call. An unknown or invisible type
     * fails with a {@link ConnectorException} coded {@code INVALID_TYPE}.
     */
    public SObjectDescription describe(String sObjectType) {
        com.sforce.soap.partner.DescribeSObjectResult r = call("describeSObject", c -> c.describeSObject(sObjectType));
        List<SObjectDescription.Field> fields = new ArrayList<>();
        for (com.sforce.soap.partner.Field f : r.getFields() == null ? new com.sforce.soap.partner.Field[0] : r.getFields()) {
            List<String> picklist = new ArrayList<>();
            if (f.getPicklistValues() != null) {
                for (com.sforce.soap.partner.PicklistEntry e : f.getPicklistValues()) {
                    if (e.isActive() && e.getValue() != null) {
                        picklist.add(e.getValue());
                    }
                }
            }
            fields.add(new SObjectDescription.Field(f.getName(), f.getType() == null ? "anyType" : f.getType().toString(),
                    f.getLength(), f.isCreateable(), f.isUpdateable(), f.isNillable(), f.isExternalId(), f.isUnique(),
                    f.isIdLookup(), picklist, f.isRestrictedPicklist()));
        }
        return new SObjectDescription(r.getName(), fields);
    }


    static String soqlDateTime(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    // ---- session handling -------------------------------------------------------------------

    @FunctionalInterface
    private interface SoapCall<T> {
        T run(PartnerConnection c) throws ConnectionException;
    }

    /**
     * One Salesforce call. A transient failure (5xx, reset, {@code SERVER_UNAVAILABLE}, timeout) is
     * retried in place with backoff, so one blip does not send a whole batch back to the start;
     * every call we make is safe to repeat (upserts by key, reads). {@code REQUEST_LIMIT_EXCEEDED}
     * is not retried here: the budget holds calls back instead. Each attempt goes through the
     * circuit; once it is open, the call fails fast and is not retried here either.
     */
    private <T> T call(String operation, SoapCall<T> soap) {
        return retry.executeSupplier(() -> circuit.call(() -> attempt(operation, soap)));
    }

    private <T> T attempt(String operation, SoapCall<T> soap) {
        for (int attempt = 1; ; attempt++) {
            budget.beforeCall(operation);
            Held h = connection();
            PartnerConnection c = h.connection();
            try {
                T result = soap.run(c);
                recordLimits(c);
                return result;
            } catch (ApiFault fault) {
                String code = fault.getExceptionCode() == null ? "UNKNOWN_EXCEPTION" : fault.getExceptionCode().name();
                ErrorClass errorClass = SalesforceErrorClassifier.classify(code);
                budget.afterCall(-1, -1);
                if ("REQUEST_LIMIT_EXCEEDED".equals(code)) {
                    budget.requestLimitExceeded();
                }
                if (errorClass == ErrorClass.REAUTHENTICATE && attempt == 1) {
                    LOG.info("Salesforce session expired during {}; renewing it once", operation);
                    endSession(h.generation());
                    continue;
                }
                throw new ConnectorException(SYSTEM, code, errorClass == ErrorClass.PERMANENT_RECORD
                        || errorClass == ErrorClass.REAUTHENTICATE ? ErrorClass.FATAL : errorClass,
                        operation + " failed: " + fault.getExceptionMessage(), fault);
            } catch (SoapFaultException fault) {
                String code = fault.getFaultCode() == null ? "UNKNOWN_EXCEPTION" : fault.getFaultCode().getLocalPart();
                ErrorClass errorClass = SalesforceErrorClassifier.classify(code);
                budget.afterCall(-1, -1);
                if ("REQUEST_LIMIT_EXCEEDED".equals(code)) {
                    budget.requestLimitExceeded();
                }
                if (errorClass == ErrorClass.REAUTHENTICATE && attempt == 1) {
                    endSession(h.generation());
                    continue;
                }
                throw new ConnectorException(SYSTEM, code, errorClass == ErrorClass.TRANSIENT ? errorClass : ErrorClass.FATAL,
                        operation + " failed: " + fault.getMessage(), fault);
            } catch (ConnectionException e) {
                if (unreadable(e)) {
                    throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT, "unreadable response to "
                            + operation + " (not a complete SOAP envelope: " + e.getMessage() + ")", e);
                }
                throw new ConnectorException(SYSTEM, "IO", ErrorClass.TRANSIENT, operation + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * WSC reports a response it could not parse (cut off, not XML) as a plain
     * {@link ConnectionException} without an I/O cause; network failures carry their
     * {@link java.io.IOException}, and an HTML error page has its own subclass.
     */
    private static boolean unreadable(ConnectionException e) {
        if (e.getClass() != ConnectionException.class) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return false;
            }
        }
        return true;
    }

    /**
     * Salesforce ends a session after the org's idle timeout. Renewing just before that costs one
     * token request (not an API call); waiting for the fault would cost a refused call as well.
     */
    private Held connection() {
        SalesforceAuthenticator.Session current;
        long generation;
        synchronized (this) {
            Instant now = clock.instant();
            if (session != null && lastUsed != null
                    && !now.isBefore(lastUsed.plus(config.sessionTimeout()).minus(SESSION_MARGIN))) {
                LOG.debug("Salesforce session idle since {}; renewing it before use", lastUsed);
                session = null;
            }
            lastUsed = now;
            if (session == null) {
                session = authenticator.authenticate();
                sessionGeneration++;
            }
            current = session;
            generation = sessionGeneration;
        }
        Held h = held.get();
        if (h == null || h.generation() != generation) {
            ConnectorConfig cc = new ConnectorConfig();
            cc.setSessionId(current.accessToken());
            cc.setServiceEndpoint(current.serviceEndpoint() != null ? current.serviceEndpoint()
                    : current.instanceUrl() + "/services/Soap/u/" + config.apiVersion());
            cc.setConnectionTimeout((int) config.timeout().toMillis());
            cc.setReadTimeout((int) config.timeout().toMillis());
            try {
                h = new Held(generation, Connector.newConnection(cc));
            } catch (ConnectionException e) {
                throw new ConnectorException(SYSTEM, "CONFIG", ErrorClass.FATAL, "cannot set up WSC: " + e.getMessage(), e);
            }
            held.set(h);
        }
        return h;
    }

    /** Salesforce refused the session of {@code generation}: the next call opens a new one (once, however many threads saw it). */
    private synchronized void endSession(long generation) {
        if (sessionGeneration == generation) {
            session = null;
        }
    }

    /**
     * Makes sure a Salesforce session is open, authenticating if there is none yet; an open
     * session is reused, so this costs no API call. Throws a {@code ConnectorException} naming
     * the problem when authentication fails.
     */
    public void ensureSession() {
        connection();
    }

    /** How many sessions this gateway has opened (1 unless Salesforce expired one). */
    public synchronized long sessions() {
        return sessionGeneration;
    }


    private void recordLimits(PartnerConnection c) {
        LimitInfoHeader_element header = c.getLimitInfoHeader();
        long used = -1;
        long limit = -1;
        if (header != null && header.getLimitInfo() != null) {
            for (LimitInfo info : header.getLimitInfo()) {
                if ("API REQUESTS".equals(info.getType())) {
                    used = info.getCurrent();
                    limit = info.getLimit();
                }
            }
        }
        budget.afterCall(used, limit);
    }

    private static String text(SObject r, String field) {
        Object v = r.getField(field);
        return v == null ? null : v.toString();
    }

    private static Instant parseDateTime(String text) {
        if (text == null) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT, "Lead without SystemModstamp", null);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConnectorException(SYSTEM, "MALFORMED_RESPONSE", ErrorClass.TRANSIENT,
                    "unreadable SystemModstamp '" + text + "'", e);
        }
    }
}
