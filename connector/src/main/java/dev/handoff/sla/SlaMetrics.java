package dev.handoff.sla;

import dev.handoff.definition.Definition;
import dev.handoff.definition.Sla;
import dev.handoff.ledger.LeadState;
import dev.handoff.ledger.SlaFact;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service-level agreement, measured: per period (the definition's {@code sla.quantity.per}, or
 * another one asked for), overall, per lead source and per definition version. Plain arithmetic
 * over the ledger's {@link SlaFact}s, fed one at a time, so any history size fits.
 *
 * <ul>
 * <li><b>quantity</b>: MQLs per period (by qualification time) against the agreed range, scaled
 *     by length when the period is not the agreed one;</li>
 * <li><b>speed-to-accept</b>: handoff to sales' first verdict, median and 90th percentile;</li>
 * <li><b>acceptance rate</b>: accepted ÷ decided;</li>
 * <li><b>quality</b>: share of handed-off leads reaching the agreed metric (accepted, converted,
 *     won) within its window, against the target; provisional while the window is still open;
 *     conversion to opportunity and to won are shown beside it whatever the metric;</li>
 * <li><b>feedback completeness</b>: of the leads that owe a verdict (decided, or past their due
 *     time), the share whose verdict carries every field {@code sla.feedback_required} names;</li>
 * <li><b>reject-reason mix</b>, SLA breaches, and the system delay (MAP change to CRM write)
 *     beside the human delay (CRM write to the verdict).</li>
 * </ul>
 *
 * Medians average the two middle values of an even count; the 90th percentile is the nearest-rank
 * value (the smallest value with at least 90% of the values at or below it).
 */
public final class SlaMetrics {

    /** Leads without a {@code lead_source}, or without a {@code campaign}. */
    public static final String NO_SOURCE = "(none)";
    /** Gaps between periods are filled with empty rows up to this many periods. */
    static final int MAX_PERIODS = 520;

    private final Definition definition;
    private final Sla.Period period;
    private final Instant now;
    private final Acc overall = new Acc();
    private final TreeMap<LocalDate, Acc> byPeriod = new TreeMap<>();
    private final Map<String, Acc> bySource = new TreeMap<>();
    private final Map<String, Acc> byCampaign = new TreeMap<>();
    private final Map<String, Acc> byVersion = new TreeMap<>();

    /**
     * @param period the reporting period; null for the definition's own
     * @param now    the time the report is as of: what is overdue, which quality windows are closed
     */
    public SlaMetrics(Definition definition, Sla.Period period, Instant now) {
        this.definition = definition;
        this.period = period == null ? definition.sla().quantity().per() : period;
        this.now = now;
    }

    /** Reads every MQL from the ledger, a keyset page at a time, and measures them. */
    public static Report of(dev.handoff.ledger.Ledger ledger, Definition definition, Sla.Period period, Instant now) {
        SlaMetrics metrics = new SlaMetrics(definition, period, now);
        ledger.forEachSlaFact(1000, metrics::add);
        return metrics.report();
    }

    public SlaMetrics add(SlaFact f) {
        Instant at = f.qualifiedAt() != null ? f.qualifiedAt() : f.handedOffAt();
        overall.add(f);
        if (at != null) {
            byPeriod.computeIfAbsent(periodStart(at, period), k -> new Acc()).add(f);
        }
        bySource.computeIfAbsent(f.source() == null || f.source().isBlank() ? NO_SOURCE : f.source(), k -> new Acc()).add(f);
        byCampaign.computeIfAbsent(f.campaign() == null || f.campaign().isBlank() ? NO_SOURCE : f.campaign(), k -> new Acc()).add(f);
        byVersion.computeIfAbsent(f.definitionVersion() == null ? "(unknown)" : f.definitionVersion(), k -> new Acc()).add(f);
        return this;
    }

    public SlaMetrics addAll(Iterable<SlaFact> facts) {
        facts.forEach(this::add);
        return this;
    }

    // ---- results ----------------------------------------------------------------------------

    /** The agreed MQL range for one reporting period. */
    public record Range(long min, long max, Sla.Period agreedPer, boolean scaled) {
    }

    /** Where a period's MQL count lies against the range. */
    public enum Verdict { BELOW, WITHIN, ABOVE }

    /** The measures of one group of leads (a period, a source, a version, or all). */
    public record Totals(long mqls, long handedOff, long decided, long accepted, long rejected, Double acceptanceRate,
            Double speedMedianMs, Double speedP90Ms, long breached, long open, long converted, long won,
            Double conversionRate, Double wonRate, long qualityHits, Double qualityRate, boolean qualityFinal,
            long feedbackOwed, long feedbackComplete, Double feedbackCompleteness, Double systemDelayMedianMs,
            Double systemDelayP90Ms, Double humanDelayMedianMs, Double humanDelayP90Ms, Map<String, Long> rejectReasons) {
    }

    /** One period: its first day, a label, whether it is still running, and its totals. */
    public record PeriodRow(LocalDate start, String label, boolean inProgress, Verdict quantity, Totals totals) {
    }

    /** Everything the report shows. */
    public record Report(String definition, Sla.Period period, Instant asOf, Range range, Sla.Quality quality,
            Duration acceptWithin, List<String> feedbackRequired, Totals overall, List<PeriodRow> periods,
            Map<String, Totals> bySource, Map<String, Totals> byCampaign, Map<String, Totals> byVersion) {
    }

    public Report report() {
        Range range = range(definition.sla().quantity(), period);
        List<PeriodRow> rows = new ArrayList<>();
        if (!byPeriod.isEmpty()) {
            List<LocalDate> starts = periodsBetween(byPeriod.firstKey(), byPeriod.lastKey());
            for (LocalDate start : starts) {
                Totals t = byPeriod.getOrDefault(start, new Acc()).totals();
                boolean running = nextPeriod(start, period).atStartOfDay().toInstant(ZoneOffset.UTC).isAfter(now);
                Verdict v = t.mqls() < range.min() ? Verdict.BELOW : t.mqls() > range.max() ? Verdict.ABOVE : Verdict.WITHIN;
                rows.add(new PeriodRow(start, label(start, period), running, v, t));
            }
        }
        Map<String, Totals> sources = new LinkedHashMap<>();
        bySource.forEach((k, v) -> sources.put(k, v.totals()));
        Map<String, Totals> campaigns = new LinkedHashMap<>();
        byCampaign.forEach((k, v) -> campaigns.put(k, v.totals()));
        Map<String, Totals> versions = new LinkedHashMap<>();
        byVersion.forEach((k, v) -> versions.put(k, v.totals()));
        Sla sla = definition.sla();
        return new Report(definition.label(), period, now, range, sla.quality(), sla.acceptWithin(), sla.feedbackRequired(),
                overall.totals(), rows, sources, campaigns, versions);
    }

    // ---- periods ----------------------------------------------------------------------------

    /** The agreed range for {@code per}: as agreed, or scaled by the periods' average lengths. */
    static Range range(Sla.Quantity q, Sla.Period per) {
        if (q.per() == per) {
            return new Range(q.min(), q.max(), q.per(), false);
        }
        double f = days(per) / days(q.per());
        return new Range(Math.round(q.min() * f), Math.round(q.max() * f), q.per(), true);
    }

    private static double days(Sla.Period p) {
        return switch (p) {
            case DAY -> 1;
            case WEEK -> 7;
            case MONTH -> 365.25 / 12;
            case QUARTER -> 365.25 / 4;
        };
    }

    /** The first day (UTC) of the period holding {@code at}; weeks start on Monday (ISO). */
    public static LocalDate periodStart(Instant at, Sla.Period p) {
        LocalDate d = at.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (p) {
            case DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> d.withDayOfMonth(1);
            case QUARTER -> d.withDayOfMonth(1).withMonth((d.getMonthValue() - 1) / 3 * 3 + 1);
        };
    }

    static LocalDate nextPeriod(LocalDate start, Sla.Period p) {
        return switch (p) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
        };
    }

    private List<LocalDate> periodsBetween(LocalDate first, LocalDate last) {
        List<LocalDate> out = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last) && out.size() < MAX_PERIODS; d = nextPeriod(d, period)) {
            out.add(d);
        }
        if (!out.get(out.size() - 1).equals(last)) {
            // a history longer than MAX_PERIODS: show the periods that have leads, without gaps filled
            return new ArrayList<>(byPeriod.keySet());
        }
        return out;
    }

    static String label(LocalDate start, Sla.Period p) {
        return switch (p) {
            case DAY -> start.toString();
            case WEEK -> "week of " + start;
            case MONTH -> start.getYear() + "-" + String.format(Locale.ROOT, "%02d", start.getMonthValue());
            case QUARTER -> start.getYear() + " Q" + ((start.getMonthValue() - 1) / 3 + 1);
        };
    }

    // ---- statistics -------------------------------------------------------------------------

    /** The median of {@code values}, averaging the two middle ones of an even count; null when empty. */
    static Double median(List<Long> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? (double) s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    /** The nearest-rank percentile {@code p} (0..1] of {@code values}; null when empty. */
    static Double percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return null;
        }
        List<Long> s = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p * s.size());
        return (double) s.get(Math.max(0, Math.min(s.size(), rank) - 1));
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /** Accumulates one group. */
    private final class Acc {
        long mqls;
        long handedOff;
        long accepted;
        long rejected;
        long breached;
        long open;
        long converted;
        long won;
        long qualityHits;
        boolean qualityFinal = true;
        long feedbackOwed;
        long feedbackComplete;
        final List<Long> speed = new ArrayList<>();
        final List<Long> system = new ArrayList<>();
        final List<Long> human = new ArrayList<>();
        final Map<String, Long> reasons = new TreeMap<>();

        void add(SlaFact f) {
            mqls++;
            if (f.handedOffAt() == null) {
                return;
            }
            handedOff++;
            boolean decided = f.disposedAt() != null && (f.state() == LeadState.ACCEPTED || f.state() == LeadState.REJECTED);
            if (decided) {
                if (f.state() == LeadState.ACCEPTED) {
                    accepted++;
                } else {
                    rejected++;
                    reasons.merge(f.rejectReason() == null || f.rejectReason().isBlank() ? NO_SOURCE : f.rejectReason(), 1L,
                            Long::sum);
                }
                speed.add(f.humanDelayMs() != null ? f.humanDelayMs()
                        : Math.max(0, Duration.between(f.handedOffAt(), f.disposedAt()).toMillis()));
            } else if (f.state() == LeadState.HANDED_OFF) {
                open++;
            }
            if (f.breached(now)) {
                breached++;
            }
            if (f.convertedAt() != null) {
                converted++;
            }
            if ("WON".equals(f.outcome())) {
                won++;
            }
            Sla.Quality q = definition.sla().quality();
            Instant windowEnd = f.handedOffAt().plus(Duration.ofDays(q.windowDays()));
            if (windowEnd.isAfter(now)) {
                qualityFinal = false;
            }
            Instant reached = switch (q.metric()) {
                case ACCEPTED -> f.state() == LeadState.ACCEPTED || f.convertedAt() != null ? f.disposedAt() : null;
                case CONVERTED -> f.convertedAt();
                case WON -> "WON".equals(f.outcome()) ? f.outcomeAt() : null;
            };
            if (reached != null && !reached.isAfter(windowEnd)) {
                qualityHits++;
            }
            if (decided || f.breached(now)) {
                feedbackOwed++;
                if (decided && complete(f)) {
                    feedbackComplete++;
                }
            }
            if (f.systemDelayMs() != null) {
                system.add(f.systemDelayMs());
            }
            if (f.humanDelayMs() != null) {
                human.add(f.humanDelayMs());
            }
        }

        /** Every field the definition requires is on the verdict (reject fields only on rejections). */
        private boolean complete(SlaFact f) {
            boolean rejectedLead = f.state() == LeadState.REJECTED;
            for (String field : definition.sla().feedbackRequired()) {
                boolean ok = switch (field.toLowerCase(Locale.ROOT)) {
                    case "status", "sales_status" -> present(f.salesStatus());
                    case "reject_reason" -> !rejectedLead || present(f.rejectReason());
                    case "reject_comment", "comment" -> !rejectedLead || present(f.rejectComment());
                    case "owner", "sales_owner" -> present(f.salesOwner());
                    default -> true;
                };
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        private static boolean present(String s) {
            return s != null && !s.isBlank();
        }

        Totals totals() {
            long decided = accepted + rejected;
            Map<String, Long> mix = new LinkedHashMap<>();
            reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey())).forEach(e -> mix.put(e.getKey(), e.getValue()));
            return new Totals(mqls, handedOff, decided, accepted, rejected, share(accepted, decided), median(speed),
                    percentile(speed, 0.9), breached, open, converted, won, share(converted, handedOff), share(won, handedOff),
                    qualityHits, share(qualityHits, handedOff), qualityFinal && handedOff > 0, feedbackOwed, feedbackComplete,
                    share(feedbackComplete, feedbackOwed), median(system), percentile(system, 0.9), median(human),
                    percentile(human, 0.9), mix);
        }
    }
}
