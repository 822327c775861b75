package dev.handoff.backtest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a baseline and a candidate definition would each have made of the ledger's history.
 *
 * @param since            only leads scored at or after this (null: all)
 * @param scored           leads replayed: every lead the live qualifier scored (in the window)
 * @param unscored         leads never scored live (new, or quarantined at intake): not replayed
 * @param unreadable       leads skipped because their stored snapshot could not be read
 * @param first            earliest {@code qualified_at} replayed
 * @param last             latest {@code qualified_at} replayed
 * @param recordedVersions definition versions that made the live decisions, with their lead counts
 * @param recordedMqls     leads the live decision made MQL
 * @param baselineAgrees   leads on which the baseline's replayed decision equals the recorded live one
 * @param flipsTotal       leads MQL under exactly one of the two definitions
 * @param flips            the first of those in map id order, at most the requested number
 */
public record BacktestResult(Instant since, long scored, long unscored, long unreadable, Instant first, Instant last,
        Map<String, Long> recordedVersions, long recordedMqls, long baselineAgrees, DefinitionResult baseline,
        DefinitionResult candidate, long flipsTotal, long baselineOnly, long candidateOnly, List<Flip> flips) {

    public BacktestResult {
        recordedVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(recordedVersions));
        flips = List.copyOf(flips);
    }

    /**
     * One definition's replay.
     *
     * @param mqls                 leads it marks MQL
     * @param periods              MQLs per SLA period, every period from the first scored lead's to the last's
     * @param periodsWithin        periods whose MQL count is within the SLA's range
     * @param accepted             its MQLs sales accepted
     * @param rejected             its MQLs sales rejected
     * @param notHandedOff         its MQLs sales never saw (not MQL live, or already a contact): outcome unknown
     * @param awaitingVerdict      its MQLs handed off with no verdict yet: outcome unknown
     * @param acceptanceRate       accepted / (accepted + rejected); null without any verdict
     * @param handedOff            its MQLs that reached sales
     * @param converted            of those, the ones sales converted
     * @param conversionRate       converted / handedOff; null when none reached sales
     * @param convertedTotal       leads in the history that converted (whatever any definition says)
     * @param convertedMarked      of those, the ones it marks MQL
     * @param recall               convertedMarked / convertedTotal; null when nothing converted
     * @param rejectedNotQualified rejected leads it would not have qualified, by reject reason
     * @param acceptedNotQualified accepted leads it would not have qualified
     */
    public record DefinitionResult(String definition, long mqls, Quantity quantity, List<PeriodCount> periods,
            long periodsWithin, long accepted, long rejected, long notHandedOff, long awaitingVerdict, Double acceptanceRate,
            long handedOff, long converted, Double conversionRate, long convertedTotal, long convertedMarked, Double recall,
            Quality quality, Map<String, Long> rejectedNotQualified, long acceptedNotQualified) {

        public DefinitionResult {
            periods = List.copyOf(periods);
            rejectedNotQualified = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(rejectedNotQualified));
        }

        /** MQLs without a sales verdict: counted neither as accepted nor as rejected. */
        public long noVerdict() {
            return notHandedOff + awaitingVerdict;
        }
    }

    /** The SLA's agreed MQL range per period, lower case: {@code month}. */
    public record Quantity(String per, int min, int max) {
    }

    /** MQLs in one period and where that is against the range: {@code below}, {@code within}, {@code above}. */
    public record PeriodCount(String period, long mqls, String status) {
    }

    /**
     * The SLA's quality target: share of handed-off MQLs that reached {@code metric} within
     * {@code windowDays} of handoff; {@code value} null when none reached sales.
     */
    public record Quality(String metric, double target, int windowDays, long reached, long of, Double value, Boolean met) {
    }

    /** A lead MQL under one definition only, with both scores and what happened to it live. */
    public record Flip(String mapId, String maskedEmail, HistoryLead.Score baseline, HistoryLead.Score candidate,
            String live) {

        /** {@code baseline only} or {@code candidate only}. */
        public String direction() {
            return baseline.mql() ? "baseline only" : "candidate only";
        }
    }
}
