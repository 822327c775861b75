package dev.handoff.backtest;

import dev.handoff.backtest.BacktestResult.DefinitionResult;
import dev.handoff.backtest.BacktestResult.Flip;
import dev.handoff.definition.Definition;
import dev.handoff.definition.Sla;
import dev.handoff.engine.Activity;
import dev.handoff.engine.Lead;
import dev.handoff.engine.Qualification;
import dev.handoff.engine.QualificationEngine;
import dev.handoff.ledger.LedgerLead;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays the ledger's history through a baseline and a candidate definition: every lead the live
 * qualifier scored is scored again by both, at the moment it was originally scored, with the
 * snapshot and the activities seen then. What sales did with the lead live (accepted, rejected
 * with a reason, converted, won) then tells how each definition would have fared. A lead sales
 * never decided on counts neither as accepted nor as rejected.
 *
 * <p>Leads are read a page at a time and only counters (and at most {@code flipLimit} flips) are
 * kept, so memory does not grow with the history.
 */
public final class Backtest {

    private final QualificationEngine baseline;
    private final QualificationEngine candidate;

    public Backtest(Definition baseline, Definition candidate) {
        this.baseline = new QualificationEngine(baseline);
        this.candidate = new QualificationEngine(candidate);
    }

    /**
     * @param since     only leads scored at or after this; null for the whole history
     * @param flipLimit flips to list (all are counted)
     * @param pageSize  leads read per ledger query
     */
    public record Options(Instant since, int flipLimit, int pageSize) {
        public Options {
            if (flipLimit < 0 || pageSize < 1) {
                throw new IllegalArgumentException("flipLimit >= 0 and pageSize >= 1");
            }
        }
    }

    public BacktestResult run(LedgerHistory history, Options options) {
        Tally base = new Tally(baseline.definition());
        Tally cand = new Tally(candidate.definition());
        Map<String, Long> versions = new TreeMap<>();
        List<Flip> flips = new ArrayList<>();
        long[] n = new long[5]; // scored, recorded MQLs, baseline agrees, baseline only, candidate only
        Instant[] span = new Instant[2];
        long unreadableBefore = history.unreadable();
        history.forEachPage(options.since(), options.pageSize(), true, page -> {
            for (HistoryLead l : page.leads()) {
                List<Activity> seen = page.activities().getOrDefault(l.mapId(), List.of());
                Lead lead = new Lead(l.mapId(), l.snapshot());
                HistoryLead.Score b = score(baseline.evaluate(lead, seen, l.qualifiedAt()));
                HistoryLead.Score c = score(candidate.evaluate(lead, seen, l.qualifiedAt()));
                base.add(l, b);
                cand.add(l, c);
                n[0]++;
                if (l.recordedMql()) {
                    n[1]++;
                }
                if (b.mql() == l.recordedMql()) {
                    n[2]++;
                }
                if (b.mql() != c.mql()) {
                    n[b.mql() ? 3 : 4]++;
                    if (flips.size() < options.flipLimit()) {
                        flips.add(new Flip(l.mapId(), LedgerLead.maskEmail(l.email()), b, c, l.liveOutcome()));
                    }
                }
                versions.merge(String.valueOf(l.recordedVersion()), 1L, Long::sum);
                span[0] = span[0] == null || l.qualifiedAt().isBefore(span[0]) ? l.qualifiedAt() : span[0];
                span[1] = span[1] == null || l.qualifiedAt().isAfter(span[1]) ? l.qualifiedAt() : span[1];
            }
        });
        return new BacktestResult(options.since(), n[0], history.unscored(), history.unreadable() - unreadableBefore,
                span[0], span[1], versions, n[1], n[2], base.result(span[0], span[1]), cand.result(span[0], span[1]),
                n[3] + n[4], n[3], n[4], flips);
    }

    private static HistoryLead.Score score(Qualification q) {
        return new HistoryLead.Score(q.fitScore(), q.engagementScore(), q.grade(), q.mql(),
                q.disqualification().map(d -> d.criterionId() + ":" + d.reason()).orElse(null));
    }

    /** One definition's counters. */
    private static final class Tally {
        private final Definition definition;
        private final Map<LocalDate, Long> perPeriod = new TreeMap<>();
        private final Map<String, Long> rejectedNotQualified = new TreeMap<>();
        private long mqls;
        private long accepted;
        private long rejected;
        private long notHandedOff;
        private long awaiting;
        private long handedOff;
        private long converted;
        private long convertedTotal;
        private long convertedMarked;
        private long qualityReached;
        private long acceptedNotQualified;

        Tally(Definition definition) {
            this.definition = definition;
        }

        void add(HistoryLead l, HistoryLead.Score s) {
            if (l.converted()) {
                convertedTotal++;
                if (s.mql()) {
                    convertedMarked++;
                }
            }
            if (!s.mql()) {
                if (l.rejected()) {
                    rejectedNotQualified.merge(l.rejectReason() == null ? "(no reason)" : l.rejectReason(), 1L, Long::sum);
                } else if (l.accepted()) {
                    acceptedNotQualified++;
                }
                return;
            }
            mqls++;
            perPeriod.merge(Periods.start(l.qualifiedAt(), definition.sla().quantity().per()), 1L, Long::sum);
            if (l.accepted()) {
                accepted++;
            } else if (l.rejected()) {
                rejected++;
            } else if (l.handedOff()) {
                awaiting++;
            } else {
                notHandedOff++;
            }
            if (l.handedOff()) {
                handedOff++;
                if (l.converted()) {
                    converted++;
                }
                if (reachedQuality(l)) {
                    qualityReached++;
                }
            }
        }

        private boolean reachedQuality(HistoryLead l) {
            Sla.Quality q = definition.sla().quality();
            Instant by = l.handedOffAt().plus(Duration.ofDays(q.windowDays()));
            Instant when = switch (q.metric()) {
                case ACCEPTED -> l.accepted() ? l.disposedAt() : null;
                case CONVERTED -> l.converted() ? (l.convertedAt() != null ? l.convertedAt() : l.outcomeAt()) : null;
                case WON -> l.won() ? l.outcomeAt() : null;
            };
            return when != null && !when.isAfter(by);
        }

        DefinitionResult result(Instant first, Instant last) {
            Sla.Quantity q = definition.sla().quantity();
            List<BacktestResult.PeriodCount> periods = new ArrayList<>();
            long within = 0;
            if (first != null) {
                LocalDate end = Periods.start(last, q.per());
                for (LocalDate p = Periods.start(first, q.per()); !p.isAfter(end); p = Periods.next(p, q.per())) {
                    long count = perPeriod.getOrDefault(p, 0L);
                    String status = count < q.min() ? "below" : count > q.max() ? "above" : "within";
                    within += "within".equals(status) ? 1 : 0;
                    periods.add(new BacktestResult.PeriodCount(Periods.label(p, q.per()), count, status));
                }
            }
            Sla.Quality quality = definition.sla().quality();
            Double qualityValue = share(qualityReached, handedOff);
            return new DefinitionResult(definition.label(), mqls,
                    new BacktestResult.Quantity(q.per().name().toLowerCase(Locale.ROOT), q.min(), q.max()), periods, within,
                    accepted, rejected, notHandedOff, awaiting, share(accepted, accepted + rejected), handedOff, converted,
                    share(converted, handedOff), convertedTotal, convertedMarked, share(convertedMarked, convertedTotal),
                    new BacktestResult.Quality(quality.metric().name().toLowerCase(Locale.ROOT), quality.target(),
                            quality.windowDays(), qualityReached, handedOff, qualityValue,
                            qualityValue == null ? null : qualityValue >= quality.target()),
                    rejectedNotQualified, acceptedNotQualified);
        }

        private static Double share(long part, long whole) {
            return whole == 0 ? null : (double) part / whole;
        }
    }
}
