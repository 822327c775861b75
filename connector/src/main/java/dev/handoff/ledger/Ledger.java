package dev.handoff.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.config.Secret;
import dev.handoff.engine.Activity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The durable record of every lead the connector has seen and of every poller's watermark.
 * Each method is one transaction, and every transition is idempotent, so a batch that is
 * replayed after a crash lands in the same state it would have reached the first time.
 */
public final class Ledger implements AutoCloseable {

    private static final TypeReference<Map<String, String>> SNAPSHOT = new TypeReference<>() { };
    private static final int IN_CHUNK = 500;

    private final HikariDataSource dataSource;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    private Ledger(HikariDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Opens (and migrates) the ledger at a JDBC URL: {@code jdbc:h2:file:…} or {@code jdbc:postgresql:…}. */
    public static Ledger open(String jdbcUrl, String user, Secret password, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password.reveal());
        config.setMaximumPoolSize(4);
        config.setPoolName("handoff-ledger");
        config.setAutoCommit(true);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new LedgerException("cannot open the ledger at " + redact(jdbcUrl) + ": " + e.getMessage(), e);
        }
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new Ledger(ds, clock);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    // ---- watermarks -------------------------------------------------------------------------

    public Optional<String> watermark(String name) {
        return query("SELECT mark FROM watermark WHERE name = ?", ps -> ps.setString(1, name),
                rs -> rs.getString(1)).stream().findFirst();
    }

    // ---- intake -----------------------------------------------------------------------------

    /**
     * Records one page of MAP activities and moves the intake watermark past it, atomically.
     * Leads not yet known are created as NEW; leads that did not qualify are re-opened so the new
     * engagement is scored. Leads already with sales keep their state.
     */
    public void recordActivityPage(List<Activity> activities, Collection<String> touchedLeadIds,
            String watermarkName, String watermarkValue) {
        Instant now = clock.instant();
        transaction(c -> {
            insertActivities(c, null, activities);
            touch(c, touchedLeadIds, now);
            noteMapChanges(c, latestChanges(activities, touchedLeadIds, now));
            putWatermark(c, watermarkName, watermarkValue, now);
        });
    }

    /**
     * Records a lead a MAP pushed (webhook intake): its field snapshot replaces any earlier push, its
     * activities are added (a replayed activity id changes nothing), and the lead becomes NEW, or
     * is re-opened if it did not qualify before. Leads already with sales keep their state. One
     * transaction: once this returns, the lead is durably in the ledger.
     */
    public void recordPushedLead(String mapId, Map<String, String> snapshot, List<Activity> activities) {
        Instant now = clock.instant();
        String snapshotJson = toJson(snapshot);
        transaction(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE pushed_lead SET snapshot = ?, received_at = ? WHERE map_id = ?")) {
                up.setString(1, snapshotJson);
                up.setObject(2, ts(now));
                up.setString(3, mapId);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO pushed_lead (map_id, snapshot, received_at) VALUES (?, ?, ?)")) {
                        ins.setString(1, mapId);
                        ins.setString(2, snapshotJson);
                        ins.setObject(3, ts(now));
                        ins.executeUpdate();
                    }
                }
            }
            insertActivities(c, mapId, activities);
            touch(c, List.of(mapId), now);
            noteMapChanges(c, Map.of(mapId, now));
        });
    }

    /**
     * Records leads a MAP said changed without sending their fields (HubSpot webhooks carry ids
     * only): new ids become NEW, NOT_QUALIFIED ones are re-opened; the MAP is read at qualification.
     */
    public void recordTouchedLeads(Collection<String> mapIds) {
        Instant now = clock.instant();
        transaction(c -> {
            touch(c, mapIds, now);
            Map<String, Instant> changes = new LinkedHashMap<>();
            mapIds.forEach(id -> changes.put(id, now));
            noteMapChanges(c, changes);
        });
    }

    /**
     * When each touched lead last changed in the MAP: its latest activity in this page, or
     * {@code now} (when intake saw it) for a lead that changed without an activity we keep.
     */
    private static Map<String, Instant> latestChanges(List<Activity> activities, Collection<String> touched, Instant now) {
        Map<String, Instant> latest = new LinkedHashMap<>();
        for (Activity a : activities) {
            if (a.leadId() != null && a.occurredAt() != null) {
                latest.merge(a.leadId(), a.occurredAt(), (x, y) -> x.isAfter(y) ? x : y);
            }
        }
        for (String id : touched) {
            latest.putIfAbsent(id, now);
        }
        return latest;
    }

    /**
     * Remembers the MAP change a lead waiting for qualification acted on (the latest one), so the
     * system delay (MAP change to CRM write) can be measured at handoff. Leads already past
     * qualification keep theirs: later changes are not what their handoff acted on.
     */
    private static void noteMapChanges(Connection c, Map<String, Instant> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE lead SET map_changed_at = ? WHERE map_id = ? AND state = 'NEW' "
                + "AND (map_changed_at IS NULL OR map_changed_at < ?)")) {
            for (Map.Entry<String, Instant> e : changes.entrySet()) {
                ps.setObject(1, ts(e.getValue()));
                ps.setString(2, e.getKey());
                ps.setObject(3, ts(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The pushed snapshots of those of {@code mapIds} that arrived by webhook, keyed by MAP id. */
    public Map<String, Map<String, String>> pushedSnapshots(Collection<String> mapIds) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (List<String> chunk : chunks(mapIds)) {
            query("SELECT map_id, snapshot FROM pushed_lead WHERE map_id IN (" + placeholders(chunk.size()) + ")",
                    ps -> bindAll(ps, chunk, 1), rs -> Map.entry(rs.getString(1), fromJson(rs.getString(2))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Stores activities not yet known, under {@code mapId}, or under each activity's own lead when null. */
    private static void insertActivities(Connection c, String mapId, List<Activity> activities) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO activity (id, map_id, type, occurred_at) SELECT ?, ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM activity WHERE id = ?)")) {
            for (Activity a : activities) {
                ins.setString(1, a.id());
                ins.setString(2, mapId != null ? mapId : a.leadId());
                ins.setString(3, a.type());
                ins.setObject(4, ts(a.occurredAt()));
                ins.setString(5, a.id());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private static void touch(Connection c, Collection<String> mapIds, Instant now) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT INTO lead (map_id, state, first_seen_at, updated_at) SELECT ?, 'NEW', ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM lead WHERE map_id = ?)");
             PreparedStatement reopen = c.prepareStatement(
                "UPDATE lead SET state = 'NEW', updated_at = ? WHERE map_id = ? AND state = 'NOT_QUALIFIED'")) {
            for (String id : mapIds) {
                ins.setString(1, id);
                ins.setObject(2, ts(now));
                ins.setObject(3, ts(now));
                ins.setString(4, id);
                ins.addBatch();
                reopen.setObject(1, ts(now));
                reopen.setString(2, id);
                reopen.addBatch();
            }
            ins.executeBatch();
            reopen.executeBatch();
        }
    }

    /** NEW leads with ids after {@code afterMapId} ("" for the first page), in id order. */
    public List<String> leadsToFetch(String afterMapId, int limit) {
        return query("SELECT map_id FROM lead WHERE state = 'NEW' AND map_id > ? ORDER BY map_id FETCH FIRST "
                + limit + " ROWS ONLY", ps -> ps.setString(1, afterMapId), rs -> rs.getString(1));
    }

    public Map<String, List<Activity>> activitiesOf(Collection<String> mapIds) {
        Map<String, List<Activity>> out = new LinkedHashMap<>();
        for (List<String> chunk : chunks(mapIds)) {
            String sql = "SELECT id, map_id, type, occurred_at FROM activity WHERE map_id IN ("
                    + placeholders(chunk.size()) + ") ORDER BY occurred_at, id";
            query(sql, ps -> bindAll(ps, chunk, 1), rs -> new Activity(rs.getString(1), rs.getString(2),
                    rs.getString(3), instant(rs, 4)))
                    .forEach(a -> out.computeIfAbsent(a.leadId(), k -> new ArrayList<>()).add(a));
        }
        return out;
    }

    /** Stores scores; MQLs wait for handoff, others are done until their next activity. */
    public void recordQualifications(List<Records.Qualified> results, Instant at) {
        recordQualifications(results, List.of(), at);
    }

    /**
     * Stores scores and, in the same transaction, what a shadow definition made of the same leads
     * ({@code handoff.definition.shadow}). Shadow results are only recorded, never acted on.
     */
    public void recordQualifications(List<Records.Qualified> results, List<Records.Shadow> shadows, Instant at) {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET email = ?, snapshot = ?, fit_score = ?, engagement_score = ?, grade = ?, mql = ?, "
                            + "disqualified_by = ?, explanation = ?, definition_version = ?, qualified_at = ?, "
                            + "state = ?, updated_at = ? WHERE map_id = ? AND state = 'NEW'")) {
                for (Records.Qualified q : results) {
                    ps.setString(1, q.email());
                    ps.setString(2, toJson(q.snapshot()));
                    ps.setInt(3, q.fitScore());
                    ps.setInt(4, q.engagementScore());
                    ps.setString(5, q.grade());
                    ps.setBoolean(6, q.mql());
                    ps.setString(7, q.disqualifiedBy());
                    ps.setString(8, q.explanation());
                    ps.setString(9, q.definitionVersion());
                    ps.setObject(10, ts(at));
                    ps.setString(11, q.mql() ? LeadState.MQL.name() : LeadState.NOT_QUALIFIED.name());
                    ps.setObject(12, ts(at));
                    ps.setString(13, q.mapId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (!shadows.isEmpty()) {
                recordShadows(c, shadows, at);
            }
        });
    }

    private static void recordShadows(Connection c, List<Records.Shadow> shadows, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE lead SET shadow_mql = ?, shadow_fit_score = ?, shadow_engagement_score = ?, shadow_grade = ?, "
                        + "shadow_disqualified_by = ?, shadow_definition_version = ?, shadow_at = ? "
                        + "WHERE map_id = ? AND qualified_at = ?")) {
            for (Records.Shadow s : shadows) {
                ps.setBoolean(1, s.mql());
                ps.setInt(2, s.fitScore());
                ps.setInt(3, s.engagementScore());
                ps.setString(4, s.grade());
                ps.setString(5, s.disqualifiedBy());
                ps.setString(6, s.definitionVersion());
                ps.setObject(7, ts(at));
                ps.setString(8, s.mapId());
                ps.setObject(9, ts(at));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---- backfill ---------------------------------------------------------------------------

    /**
     * Stores activities read from a bulk export under each activity's own lead; one transaction,
     * and an activity id already stored (by intake or an earlier run) changes nothing.
     */
    public void recordBackfillActivities(List<Activity> activities) {
        try {
            // Fast path: look the ids up once, insert only the new ones with a plain batch.
            transaction(c -> {
                Set<String> seen = existing(c, "activity", "id", activities.stream().map(Activity::id).toList());
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO activity (id, map_id, type, occurred_at) VALUES (?, ?, ?, ?)")) {
                    for (Activity a : activities) {
                        if (seen.add(a.id())) {
                            ins.setString(1, a.id());
                            ins.setString(2, a.leadId());
                            ins.setString(3, a.type());
                            ins.setObject(4, ts(a.occurredAt()));
                            ins.addBatch();
                        }
                    }
                    ins.executeBatch();
                }
            });
        } catch (LedgerException raced) {
            // Intake stored one of them in the meantime: the row-by-row guarded insert settles it.
            transaction(c -> insertActivities(c, null, activities));
        }
    }

    /** Which of {@code ids} are already in {@code table.column}. */
    private static Set<String> existing(Connection c, String table, String column, List<String> ids) throws SQLException {
        Set<String> found = new HashSet<>();
        for (List<String> chunk : chunks(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM " + table + " WHERE " + column + " IN ("
                    + placeholders(chunk.size()) + ")")) {
                bindAll(ps, chunk, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    /**
     * Records backfilled leads in one transaction: scored leads enter as MQL (to hand off) or
     * NOT_QUALIFIED, leads that failed validation enter QUARANTINED (stage INTAKE, so a replay reads
     * them from the MAP again). A lead the ledger already has keeps its state: a backfill never
     * undoes what intake, sales or an earlier run did, and re-running one is harmless.
     *
     * @return how many of the leads were new to the ledger
     */
    public int recordBackfill(List<Records.Qualified> results, List<Records.Quarantine> refused, Instant at) {
        List<String> ids = new ArrayList<>(results.size() + refused.size());
        results.forEach(q -> ids.add(q.mapId()));
        refused.forEach(q -> ids.add(q.mapId()));
        try {
            int[] inserted = {0};
            transaction(c -> {
                Set<String> known = existing(c, "lead", "map_id", ids);
                List<Records.Qualified> newResults = results.stream().filter(q -> known.add(q.mapId())).toList();
                List<Records.Quarantine> newRefused = refused.stream().filter(q -> known.add(q.mapId())).toList();
                inserted[0] = insertBackfill(c, newResults, newRefused, at, "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        "VALUES (?, ?, 'QUARANTINED', 'NEW', ?, ?, ?, 'INTAKE', 1, ?, ?)");
            });
            return inserted[0];
        } catch (LedgerException raced) {
            // Another writer recorded one of them meanwhile: the guarded insert skips it.
            int[] inserted = {0};
            transaction(c -> inserted[0] = insertBackfill(c, results, refused, at,
                    "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM lead WHERE map_id = ?)",
                    "SELECT ?, ?, 'QUARANTINED', 'NEW', ?, ?, ?, 'INTAKE', 1, ?, ? WHERE NOT EXISTS (SELECT 1 FROM lead WHERE map_id = ?)"));
            return inserted[0];
        }
    }

    private int insertBackfill(Connection c, List<Records.Qualified> results, List<Records.Quarantine> refused, Instant at,
            String leadValues, String quarantineValues) throws SQLException {
        boolean guarded = leadValues.startsWith("SELECT");
        int inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO lead (map_id, email, snapshot, fit_score, engagement_score, grade, mql, disqualified_by, "
                        + "explanation, definition_version, qualified_at, state, first_seen_at, updated_at) " + leadValues)) {
            for (Records.Qualified q : results) {
                ps.setString(1, q.mapId());
                ps.setString(2, q.email());
                ps.setString(3, toJson(q.snapshot()));
                ps.setInt(4, q.fitScore());
                ps.setInt(5, q.engagementScore());
                ps.setString(6, q.grade());
                ps.setBoolean(7, q.mql());
                ps.setString(8, q.disqualifiedBy());
                ps.setString(9, q.explanation());
                ps.setString(10, q.definitionVersion());
                ps.setObject(11, ts(at));
                ps.setString(12, q.mql() ? LeadState.MQL.name() : LeadState.NOT_QUALIFIED.name());
                ps.setObject(13, ts(at));
                ps.setObject(14, ts(at));
                if (guarded) {
                    ps.setString(15, q.mapId());
                }
                ps.addBatch();
            }
            inserted += sum(ps.executeBatch());
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO lead (map_id, email, state, quarantined_from, quarantine_system, quarantine_code, "
                        + "quarantine_message, quarantine_stage, attempts, first_seen_at, updated_at) " + quarantineValues)) {
            for (Records.Quarantine q : refused) {
                ps.setString(1, q.mapId());
                ps.setString(2, truncate(q.email(), 320));
                ps.setString(3, q.system());
                ps.setString(4, q.code());
                ps.setString(5, truncate(q.message(), 1000));
                ps.setObject(6, ts(at));
                ps.setObject(7, ts(at));
                if (guarded) {
                    ps.setString(8, q.mapId());
                }
                ps.addBatch();
            }
            inserted += sum(ps.executeBatch());
        }
        return inserted;
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += Math.max(0, c);
        }
        return n;
    }

    /** Parks leads a system refused for a reason no retry fixes; listed and replayable later. */
    public void quarantine(List<Records.Quarantine> items) {
        Instant now = clock.instant();
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET quarantined_from = CASE WHEN state = 'QUARANTINED' THEN quarantined_from ELSE state END, "
                            + "state = 'QUARANTINED', email = COALESCE(?, email), quarantine_system = ?, "
                            + "quarantine_code = ?, quarantine_message = ?, quarantine_stage = ?, "
                            + "attempts = attempts + 1, updated_at = ? WHERE map_id = ?")) {
                for (Records.Quarantine q : items) {
                    ps.setString(1, q.email());
                    ps.setString(2, q.system());
                    ps.setString(3, q.code());
                    ps.setString(4, truncate(q.message(), 1000));
                    ps.setString(5, q.stage());
                    ps.setObject(6, ts(now));
                    ps.setString(7, q.mapId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    // ---- handoff ----------------------------------------------------------------------------

    /** MQLs not yet in the CRM, with ids after {@code afterMapId} ("" for the first page), in id order. */
    public List<LedgerLead> awaitingHandoff(String afterMapId, int limit) {
        return query(SELECT_LEAD + " WHERE state = 'MQL' AND map_id > ? ORDER BY map_id FETCH FIRST " + limit
                + " ROWS ONLY", ps -> ps.setString(1, afterMapId), this::lead);
    }

    public void recordHandoffs(List<Records.HandedOff> handoffs) {
        Instant now = clock.instant();
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET state = 'HANDED_OFF', crm_id = ?, handed_off_at = ?, sla_due_at = ?, "
                            + "updated_at = ?, system_delay_ms = COALESCE(system_delay_ms, "
                            + millisBetween("COALESCE(map_changed_at, first_seen_at)", "CAST(? AS TIMESTAMP WITH TIME ZONE)")
                            + ") WHERE map_id = ? AND state = 'MQL'")) {
                for (Records.HandedOff h : handoffs) {
                    ps.setString(1, h.crmId());
                    ps.setObject(2, ts(h.handedOffAt()));
                    ps.setObject(3, ts(h.slaDueAt()));
                    ps.setObject(4, ts(now));
                    ps.setObject(5, ts(h.handedOffAt()));
                    ps.setString(6, h.mapId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /**
     * SQL for the whole milliseconds from {@code from} (a column expression; null gives null) to
     * {@code to} (never null), never below zero, as Java's {@code to.toEpochMilli() -
     * from.toEpochMilli()}. Used inside the UPDATE that sets the lead's new state, so each lead's
     * row is rewritten once. Portable between H2 and PostgreSQL.
     */
    private static String millisBetween(String from, String to) {
        return "CASE WHEN " + from + " IS NULL THEN NULL ELSE GREATEST(0, FLOOR(EXTRACT(EPOCH FROM " + to
                + ") * 1000) - FLOOR(EXTRACT(EPOCH FROM " + from + ") * 1000)) END";
    }

    // ---- disposition and feedback -----------------------------------------------------------

    public Map<String, LedgerLead> byMapIds(Collection<String> mapIds) {
        Map<String, LedgerLead> out = new LinkedHashMap<>();
        for (List<String> chunk : chunks(mapIds)) {
            query(SELECT_LEAD + " WHERE map_id IN (" + placeholders(chunk.size()) + ")",
                    ps -> bindAll(ps, chunk, 1), this::lead).forEach(l -> out.put(l.mapId(), l));
        }
        return out;
    }

    /**
     * Records sales verdicts and moves the disposition watermark, atomically. A verdict equal to
     * the one already recorded changes nothing, so replays and our own echoes are harmless.
     */
    public void recordDispositions(List<Records.Disposition> dispositions, String watermarkName, String watermarkValue) {
        Instant now = clock.instant();
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET state = ?, sales_status = ?, reject_reason = ?, reject_comment = ?, sales_owner = ?, "
                            + "disposed_at = ?, reason_action = ?, recycle_at = ?, feedback_status = 'PENDING', updated_at = ?, "
                            // CRM write to sales' first decision, once per lead: the people's share of the wait
                            + "human_delay_ms = COALESCE(human_delay_ms, "
                            + millisBetween("handed_off_at", "CAST(? AS TIMESTAMP WITH TIME ZONE)") + "), "
                            + "converted_at = COALESCE(?, converted_at), contact_id = COALESCE(?, contact_id), "
                            + "opportunity_id = COALESCE(?, opportunity_id), outcome = COALESCE(outcome, ?) "
                            + "WHERE map_id = ? AND state IN ('HANDED_OFF', 'ACCEPTED', 'REJECTED') AND NOT ("
                            + "state = ? AND COALESCE(sales_status, '') = ? AND COALESCE(reject_reason, '') = ? "
                            + "AND COALESCE(reject_comment, '') = ? AND COALESCE(opportunity_id, '') = ?)")) {
                for (Records.Disposition d : dispositions) {
                    ps.setString(1, d.verdict().name());
                    ps.setString(2, d.salesStatus());
                    ps.setString(3, d.rejectReason());
                    ps.setString(4, d.rejectComment());
                    ps.setString(5, d.salesOwner());
                    ps.setObject(6, ts(d.disposedAt()));
                    ps.setString(7, d.reasonAction());
                    ps.setObject(8, d.recycleAt() == null ? null : ts(d.recycleAt()));
                    ps.setObject(9, ts(now));
                    ps.setObject(10, ts(d.disposedAt()));
                    Records.Conversion conv = d.conversion();
                    ps.setObject(11, conv == null ? null : ts(conv.at()));
                    ps.setString(12, conv == null ? null : conv.contactId());
                    ps.setString(13, conv == null ? null : conv.opportunityId());
                    ps.setString(14, conv == null || conv.opportunityId() == null ? null : "OPPORTUNITY");
                    ps.setString(15, d.mapId());
                    ps.setString(16, d.verdict().name());
                    ps.setString(17, nz(d.salesStatus()));
                    ps.setString(18, nz(d.rejectReason()));
                    ps.setString(19, nz(d.rejectComment()));
                    ps.setString(20, conv == null || conv.opportunityId() == null ? "" : conv.opportunityId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            putWatermark(c, watermarkName, watermarkValue, now);
        });
    }

    public void putWatermark(String name, String value) {
        transaction(c -> putWatermark(c, name, value, clock.instant()));
    }

    /** Verdicts not yet written to the MAP, with ids after {@code afterMapId} ("" for the first page). */
    public List<LedgerLead> feedbackPending(String afterMapId, int limit) {
        return query(SELECT_LEAD + " WHERE feedback_status = 'PENDING' AND state IN ('ACCEPTED', 'REJECTED', 'EXISTING_CONTACT') "
                + "AND map_id > ? ORDER BY map_id FETCH FIRST " + limit + " ROWS ONLY", ps -> ps.setString(1, afterMapId),
                this::lead);
    }

    /** Leads that may still bring a verdict soon: not yet scored, MQLs not yet handed off, and Leads sales have not decided on. */
    public long awaitingVerdict() {
        return single("SELECT COUNT(*) FROM lead WHERE state IN ('NEW', 'MQL', 'HANDED_OFF')");
    }

    /** When the longest-waiting pending feedback last changed in the ledger; empty when none is pending. */
    public Optional<Instant> oldestPendingFeedback() {
        return query("SELECT MIN(updated_at) FROM lead WHERE feedback_status = 'PENDING' "
                + "AND state IN ('ACCEPTED', 'REJECTED', 'EXISTING_CONTACT')", ps -> { }, rs -> {
                    java.time.OffsetDateTime t = rs.getObject(1, java.time.OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                }).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Marks feedback written, but only if the verdict is still the one that was sent. */
    public void recordFeedbackWritten(List<LedgerLead> sent, Instant at) {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET feedback_status = 'WRITTEN', feedback_at = ?, updated_at = ? WHERE map_id = ? "
                            + "AND feedback_status = 'PENDING' AND state = ? AND COALESCE(reject_reason, '') = ? "
                            + "AND COALESCE(reject_comment, '') = ? AND COALESCE(outcome, '') = ?")) {
                for (LedgerLead l : sent) {
                    ps.setObject(1, ts(at));
                    ps.setObject(2, ts(at));
                    ps.setString(3, l.mapId());
                    ps.setString(4, l.state().name());
                    ps.setString(5, nz(l.rejectReason()));
                    ps.setString(6, nz(l.rejectComment()));
                    ps.setString(7, nz(l.outcome()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** MQLs whose email is already a Contact: no Lead is created, marketing hears why. */
    public void recordExistingContacts(List<Records.ExistingContact> matches) {
        Instant now = clock.instant();
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET state = 'EXISTING_CONTACT', contact_id = ?, sales_owner = ?, sales_status = 'EXISTING_CONTACT', "
                            + "disposed_at = ?, feedback_status = 'PENDING', updated_at = ? WHERE map_id = ? AND state = 'MQL'")) {
                for (Records.ExistingContact m : matches) {
                    ps.setString(1, m.contactId());
                    ps.setString(2, m.ownerId());
                    ps.setObject(3, ts(m.at()));
                    ps.setObject(4, ts(now));
                    ps.setString(5, m.mapId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Converted leads whose opportunity is still open: the outcome poll follows them. */
    public List<LedgerLead> openOpportunities(String afterMapId, int limit) {
        return query(SELECT_LEAD + " WHERE opportunity_id IS NOT NULL AND COALESCE(opportunity_closed, FALSE) = FALSE "
                + "AND map_id > ? ORDER BY map_id FETCH FIRST " + limit + " ROWS ONLY", ps -> ps.setString(1, afterMapId),
                this::lead);
    }

    /** Stores opportunity states; a changed outcome (won, lost) goes back to marketing. */
    public int recordOpportunities(List<Records.Opportunity> opportunities) {
        Instant now = clock.instant();
        int[] changed = {0};
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET opportunity_stage = ?, opportunity_closed = ?, opportunity_won = ?, opportunity_amount = ?, "
                            + "outcome = ?, outcome_at = ?, feedback_status = 'PENDING', updated_at = ? "
                            + "WHERE opportunity_id = ? AND NOT (COALESCE(outcome, '') = ? "
                            + "AND COALESCE(opportunity_stage, '') = ?)")) {
                for (Records.Opportunity o : opportunities) {
                    ps.setString(1, o.stage());
                    ps.setBoolean(2, o.closed());
                    ps.setBoolean(3, o.won());
                    ps.setBigDecimal(4, o.amount());
                    ps.setString(5, o.outcome());
                    ps.setObject(6, ts(now));
                    ps.setObject(7, ts(now));
                    ps.setString(8, o.id());
                    ps.setString(9, o.outcome());
                    ps.setString(10, nz(o.stage()));
                    ps.addBatch();
                }
                for (int n : ps.executeBatch()) {
                    changed[0] += Math.max(n, 0);
                }
            }
        });
        return changed[0];
    }

    // ---- rejection actions: recycle to nurture, flag disqualified ----------------------------

    /**
     * Rejected leads whose reason recycles them and whose delay has passed, not yet in nurture, with
     * ids after {@code afterMapId} ("" for the first page), in id order. Only once marketing has the
     * verdict (feedback written), so nurture never starts before the reason is on the lead.
     */
    public List<String> recycleDue(String afterMapId, int limit) {
        return query("SELECT map_id FROM lead WHERE state = 'REJECTED' AND reason_action = 'RECYCLE' AND recycle_at <= ? "
                + "AND recycled_at IS NULL AND feedback_status = 'WRITTEN' AND map_id > ? ORDER BY map_id FETCH FIRST "
                + limit + " ROWS ONLY", ps -> {
                    ps.setObject(1, ts(clock.instant()));
                    ps.setString(2, afterMapId);
                }, rs -> rs.getString(1));
    }

    /** When marketing got the verdict of the longest-waiting lead due for a rejection action; empty when none is due. */
    public Optional<Instant> oldestActionDue() {
        return query("SELECT MIN(feedback_at) FROM lead WHERE state = 'REJECTED' AND feedback_status = 'WRITTEN' AND "
                + "((reason_action = 'RECYCLE' AND recycle_at <= ? AND recycled_at IS NULL) "
                + "OR (reason_action = 'DISQUALIFY' AND disqualified_at IS NULL))", ps -> ps.setObject(1, ts(clock.instant())),
                rs -> {
                    java.time.OffsetDateTime t = rs.getObject(1, java.time.OffsetDateTime.class);
                    return t == null ? null : t.toInstant();
                }).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Marks leads as handed to nurture; a lead whose verdict changed meanwhile is left alone. */
    public void recordRecycled(Collection<String> mapIds, Instant at) {
        markDone("recycled_at", "RECYCLE", mapIds, at);
    }

    /** Rejected leads whose reason disqualifies them, not yet flagged in the MAP; paged like {@link #recycleDue}. */
    public List<String> disqualifyDue(String afterMapId, int limit) {
        return query("SELECT map_id FROM lead WHERE state = 'REJECTED' AND reason_action = 'DISQUALIFY' "
                + "AND disqualified_at IS NULL AND feedback_status = 'WRITTEN' AND map_id > ? ORDER BY map_id FETCH FIRST "
                + limit + " ROWS ONLY", ps -> ps.setString(1, afterMapId), rs -> rs.getString(1));
    }

    public void recordDisqualified(Collection<String> mapIds, Instant at) {
        markDone("disqualified_at", "DISQUALIFY", mapIds, at);
    }

    private void markDone(String column, String action, Collection<String> mapIds, Instant at) {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE lead SET " + column + " = ?, updated_at = ? "
                    + "WHERE map_id = ? AND state = 'REJECTED' AND reason_action = ? AND " + column + " IS NULL")) {
                for (String id : mapIds) {
                    ps.setObject(1, ts(at));
                    ps.setObject(2, ts(at));
                    ps.setString(3, id);
                    ps.setString(4, action);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    // ---- quarantine replay ------------------------------------------------------------------

    /**
     * Sends a quarantined lead through the normal path again, from where it stopped: a lead parked
     * at intake is read and checked anew, one parked at handoff is offered to the CRM again, one
     * parked at feedback has its verdict written again.
     *
     * @return false when no quarantined lead has this id
     */
    public boolean replay(String mapId) {
        Instant now = clock.instant();
        int[] changed = {0};
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET state = CASE quarantine_stage WHEN 'HANDOFF' THEN 'MQL' WHEN 'INTAKE' THEN 'NEW' "
                            + "ELSE COALESCE(quarantined_from, 'NEW') END, "
                            + "feedback_status = CASE WHEN quarantine_stage = 'FEEDBACK' THEN 'PENDING' ELSE feedback_status END, "
                            + "quarantine_system = NULL, quarantine_code = NULL, quarantine_message = NULL, quarantine_stage = NULL, "
                            + "quarantined_from = NULL, updated_at = ? WHERE map_id = ? AND state = 'QUARANTINED'")) {
                ps.setObject(1, ts(now));
                ps.setString(2, mapId);
                changed[0] = ps.executeUpdate();
            }
        });
        return changed[0] == 1;
    }

    /** @return false when no quarantined lead has this id */
    public boolean discard(String mapId) {
        Instant now = clock.instant();
        int[] changed = {0};
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE lead SET state = 'DISCARDED', discarded_at = ?, updated_at = ? WHERE map_id = ? AND state = 'QUARANTINED'")) {
                ps.setObject(1, ts(now));
                ps.setObject(2, ts(now));
                ps.setString(3, mapId);
                changed[0] = ps.executeUpdate();
            }
        });
        return changed[0] == 1;
    }

    /** A quarantined lead as the admin sees it: who refused it, why, since when, how often. */
    public record QuarantineEntry(String mapId, String email, String system, String code, String message, String stage,
            Instant firstSeen, Instant lastSeen, int attempts) {
    }

    public List<QuarantineEntry> quarantineEntries() {
        return query("SELECT map_id, email, quarantine_system, quarantine_code, quarantine_message, quarantine_stage, "
                + "first_seen_at, updated_at, attempts FROM lead WHERE state = 'QUARANTINED' ORDER BY updated_at, map_id",
                ps -> { }, rs -> new QuarantineEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), instant(rs, 7), instant(rs, 8), rs.getInt(9)));
    }

    // ---- SLA --------------------------------------------------------------------------------

    /**
     * Handed-off leads whose SLA was due at or before {@code dueBy}, with no sales verdict and not
     * yet flagged, with ids after {@code afterMapId} ("" for the first page), in id order.
     */
    public List<LedgerLead> slaOverdue(Instant dueBy, String afterMapId, int limit) {
        return query(SELECT_LEAD + " WHERE state = 'HANDED_OFF' AND disposed_at IS NULL AND sla_breached_at IS NULL "
                + "AND sla_due_at <= ? AND map_id > ? ORDER BY map_id FETCH FIRST " + limit + " ROWS ONLY", ps -> {
                    ps.setObject(1, ts(dueBy));
                    ps.setString(2, afterMapId);
                }, this::lead);
    }

    /** Marks leads flagged as past their accept window; a lead flagged already keeps its first time. */
    public void recordSlaBreaches(Collection<String> mapIds, Instant at) {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE lead SET sla_breached_at = ?, updated_at = ? "
                    + "WHERE map_id = ? AND sla_breached_at IS NULL")) {
                for (String id : mapIds) {
                    ps.setObject(1, ts(at));
                    ps.setObject(2, ts(at));
                    ps.setString(3, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** Leads the SLA monitor has flagged so far. */
    public long slaBreachesFlagged() {
        return single("SELECT COUNT(*) FROM lead WHERE sla_breached_at IS NOT NULL");
    }

    /**
     * Every lead that became an MQL, as the SLA report needs it, with ids after {@code afterMapId}
     * ("" for the first page), in id order: keyset pages keep memory bounded on any history size.
     */
    public List<SlaFact> slaFacts(String afterMapId, int limit) {
        return query("SELECT map_id, snapshot, definition_version, state, qualified_at, handed_off_at, sla_due_at, disposed_at, "
                + "sales_status, reject_reason, reject_comment, sales_owner, converted_at, outcome, outcome_at, system_delay_ms, "
                + "human_delay_ms, sla_breached_at FROM lead WHERE mql = TRUE AND map_id > ? ORDER BY map_id FETCH FIRST "
                + limit + " ROWS ONLY", ps -> ps.setString(1, afterMapId), rs -> {
                    String snapshot = rs.getString(2);
                    Map<String, String> fields = snapshot == null ? Map.of() : fromJson(snapshot);
                    return new SlaFact(rs.getString(1), fields.get("lead_source"), rs.getString(3), LeadState.valueOf(rs.getString(4)),
                            instant(rs, 5), instant(rs, 6), instant(rs, 7), instant(rs, 8), rs.getString(9), rs.getString(10),
                            rs.getString(11), rs.getString(12), instant(rs, 13), rs.getString(14), instant(rs, 15),
                            longOrNull(rs, 16), longOrNull(rs, 17), instant(rs, 18), fields.get("campaign"));
                });
    }

    /** Every MQL's {@link SlaFact}, a page of {@code pageSize} at a time. */
    public void forEachSlaFact(int pageSize, java.util.function.Consumer<SlaFact> each) {
        String after = "";
        while (true) {
            List<SlaFact> page = slaFacts(after, pageSize);
            page.forEach(each);
            if (page.size() < pageSize) {
                return;
            }
            after = page.get(page.size() - 1).mapId();
        }
    }

    // ---- reporting --------------------------------------------------------------------------

    public List<LedgerLead> quarantined() {
        return query(SELECT_LEAD + " WHERE state = 'QUARANTINED' ORDER BY updated_at, map_id", ps -> { }, this::lead);
    }

    /** True once any lead has reached the CRM: before that the CRM holds nothing of ours to poll. */
    public boolean anyHandedOff() {
        return !query("SELECT 1 FROM lead WHERE crm_id IS NOT NULL FETCH FIRST 1 ROWS ONLY", ps -> { }, rs -> 1).isEmpty();
    }

    public long activityCount() {
        return single("SELECT COUNT(*) FROM activity");
    }

    /** Leads parked at one stage: INTAKE, HANDOFF or FEEDBACK. */
    public long quarantinedAt(String stage) {
        return query("SELECT COUNT(*) FROM lead WHERE state = 'QUARANTINED' AND quarantine_stage = ?",
                ps -> ps.setString(1, stage), rs -> rs.getLong(1)).get(0);
    }

    /** Leads with a sales verdict, whatever happened after. */
    public long dispositionsRecorded() {
        return single("SELECT COUNT(*) FROM lead WHERE disposed_at IS NOT NULL");
    }

    public Optional<LedgerLead> lead(String mapId) {
        return Optional.ofNullable(byMapIds(List.of(mapId)).get(mapId));
    }

    /**
     * {@link Records.Progress} without reading a lead's row: the total is the table's row count and
     * the leads in flight are counted on the state and feedback indexes, so the cost follows the
     * leads still in flight, not the size of the ledger. Cheap enough to ask every few tens of
     * milliseconds.
     */
    public Records.Progress progress() {
        return query("SELECT (SELECT COUNT(*) FROM lead), "
                + "(SELECT COUNT(*) FROM lead WHERE state IN ('NEW', 'MQL', 'HANDED_OFF')), "
                + "(SELECT COUNT(*) FROM lead WHERE feedback_status = 'PENDING' AND state NOT IN ('NEW', 'MQL', 'HANDED_OFF'))",
                ps -> { }, rs -> new Records.Progress(rs.getLong(1), rs.getLong(2) + rs.getLong(3))).get(0);
    }

    public Records.Counts counts() {
        Map<LeadState, Long> byState = new EnumMap<>(LeadState.class);
        for (LeadState s : LeadState.values()) {
            byState.put(s, 0L);
        }
        query("SELECT state, COUNT(*) FROM lead GROUP BY state", ps -> { }, rs -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> byState.put(LeadState.valueOf(e.getKey()), e.getValue()));
        long feedbackWritten = single("SELECT COUNT(*) FROM lead WHERE feedback_status = 'WRITTEN' "
                + "AND state IN ('ACCEPTED', 'REJECTED')");
        long noticesWritten = single("SELECT COUNT(*) FROM lead WHERE feedback_status = 'WRITTEN' AND state = 'EXISTING_CONTACT'");
        long feedbackPending = single("SELECT COUNT(*) FROM lead WHERE feedback_status = 'PENDING'");
        long recycled = single("SELECT COUNT(*) FROM lead WHERE state = 'REJECTED' AND reason_action = 'RECYCLE'");
        long handedOff = single("SELECT COUNT(*) FROM lead WHERE crm_id IS NOT NULL");
        long recycledToNurture = single("SELECT COUNT(*) FROM lead WHERE recycled_at IS NOT NULL");
        long disqualifiedMarked = single("SELECT COUNT(*) FROM lead WHERE disqualified_at IS NOT NULL");
        long qualified = single("SELECT COUNT(*) FROM lead WHERE mql = TRUE");
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        long converted = single("SELECT COUNT(*) FROM lead WHERE converted_at IS NOT NULL");
        long won = single("SELECT COUNT(*) FROM lead WHERE outcome = 'WON'");
        long lost = single("SELECT COUNT(*) FROM lead WHERE outcome = 'LOST'");
        long inFlight = byState.get(LeadState.NEW) + byState.get(LeadState.MQL) + byState.get(LeadState.HANDED_OFF)
                + feedbackPending;
        Map<String, Long> named = new LinkedHashMap<>();
        byState.forEach((k, v) -> named.put(k.name(), v));
        return new Records.Counts(total, qualified, handedOff, byState.get(LeadState.ACCEPTED),
                byState.get(LeadState.REJECTED), recycled, feedbackWritten, byState.get(LeadState.QUARANTINED),
                byState.get(LeadState.NOT_QUALIFIED), inFlight, named, byState.get(LeadState.EXISTING_CONTACT), converted,
                won, lost, noticesWritten, recycledToNurture, disqualifiedMarked);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private static final String SELECT_LEAD = "SELECT map_id, email, state, snapshot, fit_score, engagement_score, grade, "
            + "explanation, definition_version, crm_id, handed_off_at, sla_due_at, sales_status, reject_reason, "
            + "reject_comment, sales_owner, disposed_at, reason_action, feedback_status, quarantine_system, "
            + "quarantine_code, quarantine_message, attempts, contact_id, opportunity_id, opportunity_stage, "
            + "opportunity_amount, outcome FROM lead";

    private LedgerLead lead(ResultSet rs) throws SQLException {
        String snapshot = rs.getString(4);
        return new LedgerLead(rs.getString(1), rs.getString(2), LeadState.valueOf(rs.getString(3)),
                snapshot == null ? Map.of() : fromJson(snapshot), intOrNull(rs, 5), intOrNull(rs, 6), rs.getString(7),
                rs.getString(8), rs.getString(9), rs.getString(10), instant(rs, 11), instant(rs, 12), rs.getString(13),
                rs.getString(14), rs.getString(15), rs.getString(16), instant(rs, 17), rs.getString(18),
                FeedbackStatus.valueOf(rs.getString(19)), rs.getString(20), rs.getString(21), rs.getString(22),
                rs.getInt(23), rs.getString(24), rs.getString(25), rs.getString(26), rs.getBigDecimal(27), rs.getString(28));
    }

    private static void putWatermark(Connection c, String name, String value, Instant now) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("UPDATE watermark SET mark = ?, updated_at = ? WHERE name = ?")) {
            up.setString(1, value);
            up.setObject(2, ts(now));
            up.setString(3, name);
            if (up.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO watermark (name, mark, updated_at) VALUES (?, ?, ?)")) {
            ins.setString(1, name);
            ins.setString(2, value);
            ins.setObject(3, ts(now));
            ins.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private void transaction(Work work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LedgerException("ledger write failed: " + e.getMessage(), e);
        }
    }

    private <T> List<T> query(String sql, Binder binder, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("ledger read failed: " + e.getMessage(), e);
        }
    }

    private long single(String sql) {
        return query(sql, ps -> { }, rs -> rs.getLong(1)).get(0);
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private static void bindAll(PreparedStatement ps, List<String> values, int from) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(from + i, values.get(i));
        }
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Long longOrNull(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, int col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private String toJson(Map<String, String> snapshot) {
        try {
            return json.writeValueAsString(new java.util.TreeMap<>(snapshot));
        } catch (JsonProcessingException e) {
            throw new LedgerException("cannot serialize a lead snapshot", e);
        }
    }

    private Map<String, String> fromJson(String text) {
        try {
            return json.readValue(text, SNAPSHOT);
        } catch (JsonProcessingException e) {
            throw new LedgerException("corrupt lead snapshot in the ledger", e);
        }
    }

    private static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1******");
    }
}
