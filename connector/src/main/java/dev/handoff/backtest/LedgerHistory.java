package dev.handoff.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.LedgerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the ledger's scored leads for a backtest, one keyset page at a time in map id order, so a
 * history of any size is replayed in bounded memory. Each lead comes with the activities the live
 * qualifier had seen when it scored it (those that happened up to {@code qualified_at}).
 */
public final class LedgerHistory {

    private static final TypeReference<Map<String, String>> SNAPSHOT = new TypeReference<>() { };
    private static final String SELECT = "SELECT map_id, email, state, quarantined_from, snapshot, qualified_at, mql, "
            + "definition_version, fit_score, engagement_score, grade, disqualified_by, handed_off_at, disposed_at, "
            + "reject_reason, converted_at, outcome, outcome_at, shadow_mql, shadow_fit_score, shadow_engagement_score, "
            + "shadow_grade, shadow_disqualified_by, shadow_definition_version, shadow_at FROM lead "
            + "WHERE qualified_at IS NOT NULL AND snapshot IS NOT NULL AND map_id > ?";

    private final Ledger ledger;
    private final ObjectMapper json = new ObjectMapper();
    private long unreadable;

    public LedgerHistory(Ledger ledger) {
        this.ledger = ledger;
    }

    /** One page of scored leads with the activities each had when it was scored. */
    public record Page(List<HistoryLead> leads, Map<String, List<Activity>> activities) {
    }

    /**
     * Calls {@code consumer} with every page of leads scored at or after {@code since} (null: all),
     * {@code pageSize} leads at most per page, with their activities when {@code withActivities}.
     */
    public void forEachPage(Instant since, int pageSize, boolean withActivities, Consumer<Page> consumer) {
        String after = "";
        while (true) {
            List<HistoryLead> rows = page(after, since, pageSize);
            List<HistoryLead> leads = rows.stream().filter(l -> l.snapshot() != null).toList();
            unreadable += rows.size() - leads.size();
            if (!leads.isEmpty()) {
                consumer.accept(new Page(leads, withActivities ? activitiesSeen(leads) : Map.of()));
            }
            if (rows.size() < pageSize) {
                return;
            }
            after = rows.get(rows.size() - 1).mapId();
        }
    }

    /** Leads skipped so far because their stored snapshot could not be read; the others are replayed. */
    public long unreadable() {
        return unreadable;
    }

    /** Leads the live qualifier never scored (new, or quarantined before scoring): a backtest cannot replay them. */
    public long unscored() {
        try (Connection c = ledger.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM lead WHERE qualified_at IS NULL OR snapshot IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new LedgerException("ledger read failed: " + e.getMessage(), e);
        }
    }

    List<HistoryLead> page(String after, Instant since, int limit) {
        String sql = SELECT + (since == null ? "" : " AND qualified_at >= ?") + " ORDER BY map_id FETCH FIRST " + limit
                + " ROWS ONLY";
        try (Connection c = ledger.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, after);
            if (since != null) {
                ps.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            }
            List<HistoryLead> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(lead(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new LedgerException("ledger read failed: " + e.getMessage(), e);
        }
    }

    private Map<String, List<Activity>> activitiesSeen(List<HistoryLead> leads) {
        Map<String, Instant> scoredAt = new HashMap<>();
        leads.forEach(l -> scoredAt.put(l.mapId(), l.qualifiedAt()));
        Map<String, List<Activity>> all = ledger.activitiesOf(scoredAt.keySet());
        Map<String, List<Activity>> seen = new HashMap<>();
        all.forEach((id, list) -> seen.put(id, list.stream().filter(a -> !a.occurredAt().isAfter(scoredAt.get(id))).toList()));
        return seen;
    }

    private HistoryLead lead(ResultSet rs) throws SQLException {
        String state = rs.getString(3);
        if ("QUARANTINED".equals(state) && rs.getString(4) != null) {
            state = rs.getString(4);
        }
        HistoryLead.Score recorded = new HistoryLead.Score(rs.getInt(9), rs.getInt(10), rs.getString(11), rs.getBoolean(7),
                rs.getString(12));
        boolean shadowValue = rs.getBoolean(19);
        Boolean shadowMql = rs.wasNull() ? null : shadowValue;
        HistoryLead.Score shadow = shadowMql == null ? null
                : new HistoryLead.Score(rs.getInt(20), rs.getInt(21), rs.getString(22), shadowMql, rs.getString(23));
        return new HistoryLead(rs.getString(1), rs.getString(2), LeadState.valueOf(state), snapshot(rs.getString(5)),
                instant(rs, 6), recorded.mql(), recorded, rs.getString(8), instant(rs, 13), instant(rs, 14),
                rs.getString(15), instant(rs, 16), rs.getString(17), instant(rs, 18), shadow, rs.getString(24), instant(rs, 25));
    }

    /** The stored snapshot, or null when it is not a JSON object of strings (that lead is skipped and counted). */
    private Map<String, String> snapshot(String text) {
        try {
            return json.readValue(text, SNAPSHOT);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
