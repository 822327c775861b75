package dev.handoff.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.definition.Sla;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.SlaFact;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SlaMetrics against a small history whose every number was worked out by hand (see the comments).
 * The shipped definition: accept within 24 h, 400–700 MQLs per month, 25% converted within 90 days,
 * feedback required: status and reject reason.
 */
class SlaMetricsTest {

    static final Definition SHIPPED = DefinitionLoader.load(Path.of("../config/qualification.yaml"));
    static final Instant NOW = Instant.parse("2026-11-20T00:00:00Z");
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    static Instant t(String s) {
        return Instant.parse(s);
    }

    /** Six MQLs over three weeks (the middle one empty). */
    static List<SlaFact> history() {
        return List.of(
                // accepted after 2 h, converted and won: complete feedback
                new SlaFact("1", "Web", "acme-mql@v3", LeadState.ACCEPTED, t("2026-11-02T10:00:00Z"), t("2026-11-02T10:00:00Z"),
                        t("2026-11-03T10:00:00Z"), t("2026-11-02T12:00:00Z"), "Working", null, null, "005A", t("2026-11-05T00:00:00Z"),
                        "WON", t("2026-11-10T00:00:00Z"), 30 * MIN, 2 * HOUR, null),
                // rejected after 30 h: breached, complete feedback
                new SlaFact("2", "Web", "acme-mql@v3", LeadState.REJECTED, t("2026-11-03T09:00:00Z"), t("2026-11-03T09:00:00Z"),
                        t("2026-11-04T09:00:00Z"), t("2026-11-04T15:00:00Z"), "Closed", "NO_BUDGET", null, "005A", null, null, null,
                        60 * MIN, 30 * HOUR, null),
                // rejected after 6 h without a status: incomplete feedback
                new SlaFact("3", "Webinar", "acme-mql@v3", LeadState.REJECTED, t("2026-11-04T00:00:00Z"), t("2026-11-04T00:00:00Z"),
                        t("2026-11-05T00:00:00Z"), t("2026-11-04T06:00:00Z"), null, "NOT_RIGHT_FIT", null, "005B", null, null, null,
                        10 * MIN, 6 * HOUR, null),
                // an MQL under version 2 that was never handed off (already a Contact), no source
                new SlaFact("4", null, "acme-mql@v2", LeadState.EXISTING_CONTACT, t("2026-11-05T00:00:00Z"), null, null,
                        t("2026-11-05T00:00:00Z"), "EXISTING_CONTACT", null, null, null, null, null, null, null, null, null),
                // undecided, past its due time at NOW: breached and open, flagged by the monitor
                new SlaFact("5", "Webinar", "acme-mql@v3", LeadState.HANDED_OFF, t("2026-11-16T00:00:00Z"), t("2026-11-16T00:00:00Z"),
                        t("2026-11-17T00:00:00Z"), null, null, null, null, null, null, null, null, 20 * MIN, null,
                        t("2026-11-17T00:15:00Z")),
                // undecided, due after NOW: open, not breached
                new SlaFact("6", "Web", "acme-mql@v3", LeadState.HANDED_OFF, t("2026-11-19T12:00:00Z"), t("2026-11-19T12:00:00Z"),
                        t("2026-11-20T12:00:00Z"), null, null, null, null, null, null, null, null, null, null, null));
    }

    static SlaMetrics.Report weekly() {
        return new SlaMetrics(SHIPPED, Sla.Period.WEEK, NOW).addAll(history()).report();
    }

    @Test
    void overallNumbersMatchTheHandComputedOnes() {
        SlaMetrics.Totals t = weekly().overall();
        assertThat(t.mqls()).isEqualTo(6);
        assertThat(t.handedOff()).isEqualTo(5);
        assertThat(t.decided()).isEqualTo(3);
        assertThat(t.accepted()).isEqualTo(1);
        assertThat(t.rejected()).isEqualTo(2);
        assertThat(t.open()).isEqualTo(2);
        assertThat(t.acceptanceRate()).isCloseTo(1.0 / 3, within(1e-9));
        // speed to accept: 2 h, 6 h, 30 h → median 6 h; p90 nearest rank ceil(0.9 × 3) = 3rd → 30 h
        assertThat(t.speedMedianMs()).isEqualTo(6.0 * HOUR);
        assertThat(t.speedP90Ms()).isEqualTo(30.0 * HOUR);
        // lead 2 decided late, lead 5 undecided past due
        assertThat(t.breached()).isEqualTo(2);
        assertThat(t.converted()).isEqualTo(1);
        assertThat(t.won()).isEqualTo(1);
        assertThat(t.conversionRate()).isCloseTo(0.2, within(1e-9));
        assertThat(t.wonRate()).isCloseTo(0.2, within(1e-9));
        // quality = converted within 90 days: lead 1 only, of 5 handed off; windows still open at NOW
        assertThat(t.qualityHits()).isEqualTo(1);
        assertThat(t.qualityRate()).isCloseTo(0.2, within(1e-9));
        assertThat(t.qualityFinal()).isFalse();
        // owed: 3 decided + lead 5 past due; complete: 1 and 2 (3 has no status)
        assertThat(t.feedbackOwed()).isEqualTo(4);
        assertThat(t.feedbackComplete()).isEqualTo(2);
        assertThat(t.feedbackCompleteness()).isCloseTo(0.5, within(1e-9));
        // system delays 10, 20, 30, 60 min → median (20 + 30) / 2 = 25 min, p90 4th → 60 min
        assertThat(t.systemDelayMedianMs()).isEqualTo(25.0 * MIN);
        assertThat(t.systemDelayP90Ms()).isEqualTo(60.0 * MIN);
        assertThat(t.humanDelayMedianMs()).isEqualTo(6.0 * HOUR);
        assertThat(t.humanDelayP90Ms()).isEqualTo(30.0 * HOUR);
        // most frequent first, ties by name ('T' sorts before '_')
        assertThat(t.rejectReasons()).containsExactly(java.util.Map.entry("NOT_RIGHT_FIT", 1L), java.util.Map.entry("NO_BUDGET", 1L));
    }

    @Test
    void periodsAreWeeksFromMondayWithTheGapFilledAndTheRunningOneMarked() {
        SlaMetrics.Report r = weekly();
        // 400–700 per month scaled to a week: × 7 / 30.4375 → 91.99… and 160.99… → 92–161
        assertThat(r.range()).isEqualTo(new SlaMetrics.Range(92, 161, Sla.Period.MONTH, true));
        assertThat(r.periods()).extracting(SlaMetrics.PeriodRow::start).containsExactly(LocalDate.parse("2026-11-02"),
                LocalDate.parse("2026-11-09"), LocalDate.parse("2026-11-16"));
        assertThat(r.periods()).extracting(SlaMetrics.PeriodRow::inProgress).containsExactly(false, false, true);
        assertThat(r.periods()).extracting(p -> p.totals().mqls()).containsExactly(4L, 0L, 2L);
        assertThat(r.periods()).extracting(SlaMetrics.PeriodRow::quantity).containsOnly(SlaMetrics.Verdict.BELOW);
        SlaMetrics.Totals first = r.periods().get(0).totals();
        assertThat(first.handedOff()).isEqualTo(3);
        assertThat(first.breached()).isEqualTo(1);
        assertThat(first.speedMedianMs()).isEqualTo(6.0 * HOUR);
        assertThat(r.periods().get(0).label()).isEqualTo("week of 2026-11-02");
        assertThat(r.periods().get(1).totals().speedMedianMs()).isNull();
    }

    /** The same history with Marketo acquisition programs as campaigns (leads 4 and 6 have none). */
    static List<SlaFact> historyWithCampaigns() {
        Map<String, String> campaigns = Map.of("1", "2201", "2", "2201", "3", "2501", "5", "2501");
        return history().stream().map(f -> new SlaFact(f.mapId(), f.source(), f.definitionVersion(), f.state(), f.qualifiedAt(),
                f.handedOffAt(), f.slaDueAt(), f.disposedAt(), f.salesStatus(), f.rejectReason(), f.rejectComment(),
                f.salesOwner(), f.convertedAt(), f.outcome(), f.outcomeAt(), f.systemDelayMs(), f.humanDelayMs(),
                f.slaBreachedAt(), campaigns.get(f.mapId()))).toList();
    }

    @Test
    void breakdownByCampaign() {
        SlaMetrics.Report r = new SlaMetrics(SHIPPED, Sla.Period.WEEK, NOW).addAll(historyWithCampaigns()).report();
        assertThat(r.byCampaign().keySet()).containsExactly(SlaMetrics.NO_SOURCE, "2201", "2501");
        // 2201: lead 1 accepted (and won), lead 2 rejected after 30 h
        assertThat(r.byCampaign().get("2201").mqls()).isEqualTo(2);
        assertThat(r.byCampaign().get("2201").acceptanceRate()).isCloseTo(0.5, within(1e-9));
        assertThat(r.byCampaign().get("2201").breached()).isEqualTo(1);
        assertThat(r.byCampaign().get("2201").won()).isEqualTo(1);
        // 2501: lead 3 rejected, lead 5 still open past its due time
        assertThat(r.byCampaign().get("2501").handedOff()).isEqualTo(2);
        assertThat(r.byCampaign().get("2501").decided()).isEqualTo(1);
        assertThat(r.byCampaign().get("2501").acceptanceRate()).isCloseTo(0.0, within(1e-9));
        assertThat(r.byCampaign().get("2501").breached()).isEqualTo(1);
        assertThat(r.byCampaign().get("2501").rejectReasons()).containsOnlyKeys("NOT_RIGHT_FIT");
        // leads 4 (a Contact already) and 6 (open, not yet due)
        assertThat(r.byCampaign().get(SlaMetrics.NO_SOURCE).mqls()).isEqualTo(2);
        assertThat(r.byCampaign().get(SlaMetrics.NO_SOURCE).handedOff()).isEqualTo(1);
        assertThat(r.byCampaign().get(SlaMetrics.NO_SOURCE).rejected()).isZero();
    }

    @Test
    void breakdownsBySourceAndDefinitionVersion() {
        SlaMetrics.Report r = weekly();
        assertThat(r.bySource().keySet()).containsExactly(SlaMetrics.NO_SOURCE, "Web", "Webinar");
        assertThat(r.bySource().get("Web").mqls()).isEqualTo(3);
        assertThat(r.bySource().get("Web").rejected()).isEqualTo(1);
        assertThat(r.bySource().get("Web").acceptanceRate()).isCloseTo(0.5, within(1e-9));
        assertThat(r.bySource().get("Webinar").breached()).isEqualTo(1);
        assertThat(r.bySource().get(SlaMetrics.NO_SOURCE).handedOff()).isZero();
        assertThat(r.byVersion().keySet()).containsExactly("acme-mql@v2", "acme-mql@v3");
        assertThat(r.byVersion().get("acme-mql@v3").handedOff()).isEqualTo(5);
        assertThat(r.byVersion().get("acme-mql@v2").mqls()).isEqualTo(1);
    }

    @Test
    void theDefinitionsOwnPeriodUsesTheAgreedRangeAsIs() {
        SlaMetrics.Report r = new SlaMetrics(SHIPPED, null, NOW).addAll(history()).report();
        assertThat(r.period()).isEqualTo(Sla.Period.MONTH);
        assertThat(r.range()).isEqualTo(new SlaMetrics.Range(400, 700, Sla.Period.MONTH, false));
        assertThat(r.periods()).singleElement().satisfies(p -> {
            assertThat(p.label()).isEqualTo("2026-11");
            assertThat(p.inProgress()).isTrue();
            assertThat(p.totals().mqls()).isEqualTo(6);
        });
    }

    @Test
    void qualityIsFinalOnceEveryWindowHasClosedAndLateConversionsDoNotCount() {
        Instant handed = t("2026-01-05T00:00:00Z");
        SlaFact inTime = new SlaFact("a", "Web", "v", LeadState.ACCEPTED, handed, handed, handed.plus(Duration.ofDays(1)),
                handed.plus(Duration.ofHours(1)), "Working", null, null, "005", handed.plus(Duration.ofDays(90)), null, null,
                null, HOUR, null);
        SlaFact late = new SlaFact("b", "Web", "v", LeadState.ACCEPTED, handed, handed, handed.plus(Duration.ofDays(1)),
                handed.plus(Duration.ofHours(1)), "Working", null, null, "005", handed.plus(Duration.ofDays(91)), null, null,
                null, HOUR, null);
        SlaMetrics.Totals t = new SlaMetrics(SHIPPED, Sla.Period.QUARTER, NOW).add(inTime).add(late).report().overall();
        assertThat(t.qualityFinal()).isTrue();
        assertThat(t.qualityHits()).isEqualTo(1);
        assertThat(t.converted()).isEqualTo(2);
    }

    @Test
    void statisticsAndPeriodBoundaries() {
        assertThat(SlaMetrics.median(List.of())).isNull();
        assertThat(SlaMetrics.median(List.of(5L))).isEqualTo(5.0);
        assertThat(SlaMetrics.median(List.of(4L, 1L, 3L, 2L))).isEqualTo(2.5);
        assertThat(SlaMetrics.percentile(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), 0.9)).isEqualTo(9.0);
        assertThat(SlaMetrics.percentile(List.of(10L, 1L), 0.9)).isEqualTo(10.0);
        assertThat(SlaMetrics.periodStart(t("2026-11-22T23:59:59Z"), Sla.Period.WEEK)).isEqualTo(LocalDate.parse("2026-11-16"));
        assertThat(SlaMetrics.periodStart(t("2026-11-22T23:59:59Z"), Sla.Period.QUARTER)).isEqualTo(LocalDate.parse("2026-10-01"));
        assertThat(SlaMetrics.label(LocalDate.parse("2026-10-01"), Sla.Period.QUARTER)).isEqualTo("2026 Q4");
    }
}
