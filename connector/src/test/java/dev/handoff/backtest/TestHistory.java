package dev.handoff.backtest;

import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.engine.Activity;
import dev.handoff.ledger.Ledger;
import dev.handoff.ledger.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small ledger history whose backtest is computed by hand in {@link BacktestTest}: eleven scored
 * leads over November and December 2026 and one never scored, with known snapshots, activities,
 * verdicts and outcomes, and two small definitions.
 *
 * <pre>
 * fit:        vp title +30, employees ≥500 +30 / ≥100 +10, industry Software +10; rival.example disqualifies
 * engagement: demo_request 40, webinar 20, half-life 30 days
 * baseline v1: MQL when fit ≥ 30 and engagement ≥ 20; SLA 2–4 MQLs a month; quality: converted ≥ 0.5 within 90 d
 * candidate v2: MQL when fit ≥ 40 and engagement ≥ 10; SLA 1–4 MQLs a month; quality: accepted ≥ 0.5 within 30 d
 *
 * lead  scored      fit eng grade  base cand  live
 * L01   11-05 12:00  70  40  A2    MQL  MQL   accepted, converted 11-15 (opportunity open)
 * L02   11-05 12:00  40  20  B3    MQL  MQL   accepted
 * L03   11-20 12:00  30  40  C2    MQL  -     rejected NOT_RIGHT_SIZE
 * L04   11-20 12:00  40  40  B2    MQL  MQL   rejected NO_BUDGET
 * L05   11-20 12:00  30  40  C2    MQL  -     accepted, converted 11-30, won
 * L06   11-20 12:00  40  10  B4    -    MQL   not qualified live (webinar 30 days old counts 10; a demo a day later is not yet seen)
 * L07   12-10 12:00  60  40  A2    -    -     disqualified (rival.example)
 * L08   12-10 12:00  40  40  B2    MQL  MQL   handed off, no verdict yet
 * L09   12-10 12:00  30  60  C1    MQL  -     rejected NOT_RIGHT_FIT
 * L10   12-10 12:00  20  40  C2    -    -     not qualified
 * L11   12-10 12:00  60  40  A2    MQL  MQL   already a Contact: no Lead, no verdict
 * L12   never scored (new)
 * </pre>
 */
final class TestHistory {

    static final Instant NOV5 = Instant.parse("2026-11-05T12:00:00Z");
    static final Instant NOV20 = Instant.parse("2026-11-20T12:00:00Z");
    static final Instant DEC10 = Instant.parse("2026-12-10T12:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    private static final String DEFINITION = """
            definition: test
            version: %d
            agreed_by: {marketing: "VP Marketing", sales: "VP Sales"}
            effective: 2026-11-01
            fit:
              criteria:
                - {id: seniority, field: title, matches: "(?i)\\\\bvp\\\\b", points: 30}
                - {id: size, field: employees, bands: [{min: 500, points: 30}, {min: 100, points: 10}]}
                - {id: industry, field: industry, in: [Software], points: 10}
              disqualify:
                - {id: competitor, field: email_domain, in: [rival.example], reason: NOT_RIGHT_FIT}
            engagement:
              half_life_days: 30
              activities:
                - {type: demo_request, points: 40}
                - {type: webinar, points: 20}
            mql:
              when: {fit: ">= %d", engagement: ">= %d"}
              required_fields: [email]
            grades:
              fit: {A: 60, B: 40, C: 20}
              engagement: {"1": 60, "2": 40, "3": 20}
            sla:
              accept_within: 24h
              quantity: {per: month, min: %d, max: 4}
              quality: {metric: %s, target: 0.5, window_days: %d}
              feedback_required: [status, reject_reason]
            reject_reasons:
              NOT_RIGHT_FIT: {action: disqualify}
              NOT_RIGHT_SIZE: {action: disqualify}
              NO_BUDGET: {action: recycle, after_days: 30}
            """;

    private TestHistory() {
    }

    static Path baselineFile(Path dir) throws IOException {
        return write(dir.resolve("baseline.yaml"), DEFINITION.formatted(1, 30, 20, 2, "converted", 90));
    }

    static Path candidateFile(Path dir) throws IOException {
        return write(dir.resolve("candidate.yaml"), DEFINITION.formatted(2, 40, 10, 1, "accepted", 30));
    }

    static Definition baseline(Path dir) throws IOException {
        return DefinitionLoader.load(baselineFile(dir));
    }

    static Definition candidate(Path dir) throws IOException {
        return DefinitionLoader.load(candidateFile(dir));
    }

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        return file;
    }

    private record Row(String id, Instant at, String title, String employees, String industry, String domain,
            int fit, int eng, String grade, boolean mql) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("L01", NOV5, "VP Sales", "600", "Software", "acme.example", 70, 40, "A2", true),
            new Row("L02", NOV5, "VP Finance", "200", null, "globex.example", 40, 20, "B3", true),
            new Row("L03", NOV20, "VP Marketing", null, null, "initech.example", 30, 40, "C2", true),
            new Row("L04", NOV20, "vp of sales", null, "Software", "umbrella.example", 40, 40, "B2", true),
            new Row("L05", NOV20, "VP Ops", null, null, "hooli.example", 30, 40, "C2", true),
            new Row("L06", NOV20, "Analyst", "600", "Software", "stark.example", 40, 10, "B4", false),
            new Row("L07", DEC10, "VP Sales", "600", null, "rival.example", 60, 40, "A2", false),
            new Row("L08", DEC10, "VP Sales", "200", null, "wayne.example", 40, 40, "B2", true),
            new Row("L09", DEC10, "VP IT", null, null, "tyrell.example", 30, 60, "C1", true),
            new Row("L10", DEC10, "Analyst", "200", "Software", "cyberdyne.example", 20, 40, "C2", false),
            new Row("L11", DEC10, "VP Sales", "600", null, "soylent.example", 60, 40, "A2", true));

    /**
     * Writes the history through the ledger's own API, as the flows would have. With {@code shadow},
     * each lead's live decision is recorded together with the candidate's (scores from the table).
     */
    static void record(Ledger ledger, boolean shadow) {
        List<Activity> activities = new ArrayList<>();
        for (Row r : ROWS) {
            if (!r.id().equals("L02") && !r.id().equals("L06")) {
                activities.add(new Activity(r.id() + "-demo", r.id(), "demo_request", r.at()));
            }
        }
        activities.add(new Activity("L02-webinar", "L02", "webinar", NOV5));
        activities.add(new Activity("L02-newsletter", "L02", "newsletter", NOV5)); // a type neither definition scores
        activities.add(new Activity("L06-webinar", "L06", "webinar", NOV20.minus(Duration.ofDays(30))));
        activities.add(new Activity("L06-demo-later", "L06", "demo_request", NOV20.plus(Duration.ofDays(1))));
        activities.add(new Activity("L09-webinar", "L09", "webinar", DEC10));
        activities.add(new Activity("L12-webinar", "L12", "webinar", DEC10));
        List<String> ids = new ArrayList<>(ROWS.stream().map(Row::id).toList());
        ids.add("L12");
        ledger.recordActivityPage(activities, ids, "test", "page-1");

        for (Row r : ROWS) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("email", r.id().toLowerCase() + "@" + r.domain());
            fields.put("last_name", "Lead " + r.id());
            fields.put("title", r.title());
            if (r.employees() != null) {
                fields.put("employees", r.employees());
            }
            if (r.industry() != null) {
                fields.put("industry", r.industry());
            }
            Records.Qualified q = new Records.Qualified(r.id(), fields.get("email"), fields, r.fit(), r.eng(), r.grade(),
                    r.mql(), r.domain().equals("rival.example") ? "competitor:NOT_RIGHT_FIT" : null, "live", "test@v1");
            List<Records.Shadow> shadows = shadow ? List.of(candidateShadow(r.id())) : List.of();
            ledger.recordQualifications(List.of(q), shadows, r.at());
        }
        List<Records.HandedOff> handoffs = new ArrayList<>();
        for (Row r : ROWS) {
            if (r.mql() && !r.id().equals("L11")) {
                handoffs.add(new Records.HandedOff(r.id(), "00Q" + r.id(), r.at().plus(HOUR), r.at().plus(Duration.ofHours(25))));
            }
        }
        ledger.recordHandoffs(handoffs);
        ledger.recordExistingContacts(List.of(new Records.ExistingContact("L11", "003L11", "005REP", DEC10.plus(HOUR))));
        ledger.recordDispositions(List.of(
                verdict("L01", NOV5, Records.Verdict.ACCEPTED, null,
                        new Records.Conversion(Instant.parse("2026-11-15T10:00:00Z"), "003L01", "006L01")),
                verdict("L02", NOV5, Records.Verdict.ACCEPTED, null, null),
                verdict("L03", NOV20, Records.Verdict.REJECTED, "NOT_RIGHT_SIZE", null),
                verdict("L04", NOV20, Records.Verdict.REJECTED, "NO_BUDGET", null),
                verdict("L05", NOV20, Records.Verdict.ACCEPTED, null,
                        new Records.Conversion(Instant.parse("2026-11-30T10:00:00Z"), "003L05", "006L05")),
                verdict("L09", DEC10, Records.Verdict.REJECTED, "NOT_RIGHT_FIT", null)), "disposition", "mark-1");
        ledger.recordOpportunities(List.of(new Records.Opportunity("006L05", "Closed Won", true, true,
                new java.math.BigDecimal("12000"))));
    }

    /** The candidate's scores as the shadow would have recorded them (the table's "cand" column). */
    private static Records.Shadow candidateShadow(String id) {
        return switch (id) {
            case "L01" -> new Records.Shadow(id, true, 70, 40, "A2", null, "test@v2");
            case "L02" -> new Records.Shadow(id, true, 40, 20, "B3", null, "test@v2");
            case "L03" -> new Records.Shadow(id, false, 30, 40, "C2", null, "test@v2");
            case "L04" -> new Records.Shadow(id, true, 40, 40, "B2", null, "test@v2");
            case "L05" -> new Records.Shadow(id, false, 30, 40, "C2", null, "test@v2");
            case "L06" -> new Records.Shadow(id, true, 40, 10, "B4", null, "test@v2");
            case "L07" -> new Records.Shadow(id, false, 60, 40, "A2", "competitor:NOT_RIGHT_FIT", "test@v2");
            case "L08" -> new Records.Shadow(id, true, 40, 40, "B2", null, "test@v2");
            case "L09" -> new Records.Shadow(id, false, 30, 60, "C1", null, "test@v2");
            case "L10" -> new Records.Shadow(id, false, 20, 40, "C2", null, "test@v2");
            default -> new Records.Shadow(id, true, 60, 40, "A2", null, "test@v2");
        };
    }

    private static Records.Disposition verdict(String id, Instant scored, Records.Verdict v, String reason,
            Records.Conversion conversion) {
        String action = reason == null ? null : reason.equals("NO_BUDGET") ? "RECYCLE" : "DISQUALIFY";
        return new Records.Disposition(id, v == Records.Verdict.ACCEPTED ? "Working - Contacted" : "Closed - Not Converted",
                v, reason, null, "005REP", scored.plus(Duration.ofHours(3)), action, null, conversion);
    }
}
