package dev.handoff.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What an admin asks of the ledger at a glance: leads by state, the work waiting in each queue,
 * what is parked in quarantine and by whom, and how the SLA stands today. Aggregate queries only
 * (one small result per question), read-only, on H2 and PostgreSQL alike.
 */
public final class LedgerStatus {

    /** One quarantine bucket: the system that refused, its error code, how many leads. */
    public record QuarantineBucket(String system, String stage, String code, long leads) {
    }

    /**
     * The figures. {@code queues}: {@code to_fetch} (NEW), {@code to_hand_off} (MQL),
     * {@code awaiting_sales} (HANDED_OFF), {@code feedback_pending}, {@code recycle_due}.
     * SLA today (UTC day): leads handed off today, verdicts recorded today, and leads handed off
     * whose accept window has passed without a verdict (overdue now, whatever day).
     */
    public record Snapshot(Instant at, long leads, Map<String, Long> byState, Map<String, Long> queues,
            List<QuarantineBucket> quarantine, long quarantined, long handedOffToday, long decidedToday,
            long slaOverdue, long slaBreachedToday) {
    }

    private final DataSource dataSource;

    public LedgerStatus(Ledger ledger) {
        this(ledger.dataSource());
    }

    LedgerStatus(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Reads every figure as of {@code now}. Throws {@link LedgerException} when the ledger cannot answer. */
    public Snapshot snapshot(Instant now) {
        OffsetDateTime nowTs = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime dayStart = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay().atOffset(ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            Map<String, Long> byState = new LinkedHashMap<>();
            for (LeadState s : LeadState.values()) {
                byState.put(s.name(), 0L);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM lead GROUP BY state");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                }
            }
            long leads = byState.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Long> queues = new LinkedHashMap<>();
            queues.put("to_fetch", byState.get(LeadState.NEW.name()));
            queues.put("to_hand_off", byState.get(LeadState.MQL.name()));
            queues.put("awaiting_sales", byState.get(LeadState.HANDED_OFF.name()));
            queues.put("feedback_pending", count(c, "SELECT COUNT(*) FROM lead WHERE feedback_status = 'PENDING'"));
            queues.put("recycle_due", count(c, "SELECT COUNT(*) FROM lead WHERE state = 'REJECTED' AND reason_action = 'RECYCLE' "
                    + "AND recycle_at <= ? AND recycled_at IS NULL", nowTs));
            List<QuarantineBucket> quarantine = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT quarantine_system, quarantine_stage, quarantine_code, COUNT(*) "
                    + "FROM lead WHERE state = 'QUARANTINED' GROUP BY quarantine_system, quarantine_stage, quarantine_code "
                    + "ORDER BY COUNT(*) DESC, quarantine_system, quarantine_code");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    quarantine.add(new QuarantineBucket(orUnknown(rs.getString(1)), orUnknown(rs.getString(2)),
                            orUnknown(rs.getString(3)), rs.getLong(4)));
                }
            }
            long handedOffToday = count(c, "SELECT COUNT(*) FROM lead WHERE handed_off_at >= ?", dayStart);
            long decidedToday = count(c, "SELECT COUNT(*) FROM lead WHERE disposed_at >= ?", dayStart);
            long overdue = count(c, "SELECT COUNT(*) FROM lead WHERE state = 'HANDED_OFF' AND sla_due_at < ?", nowTs);
            long breachedToday = count(c, "SELECT COUNT(*) FROM lead WHERE sla_due_at >= ? AND sla_due_at < ? "
                    + "AND (disposed_at IS NULL OR disposed_at > sla_due_at) AND crm_id IS NOT NULL", dayStart, nowTs);
            return new Snapshot(now, leads, byState, queues, List.copyOf(quarantine),
                    byState.get(LeadState.QUARANTINED.name()), handedOffToday, decidedToday, overdue, breachedToday);
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger's status: " + e.getMessage(), e);
        }
    }

    /** True when the ledger answers a trivial query within {@code timeoutSeconds}. */
    public boolean reachable(int timeoutSeconds) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1")) {
            ps.setQueryTimeout(timeoutSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static long count(Connection c, String sql, OffsetDateTime... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String orUnknown(String s) {
        return s == null ? "unknown" : s;
    }
}
