package dev.handoff.backtest;

import dev.handoff.definition.Sla;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;

/** The SLA's quantity periods in UTC: day {@code 2026-11-02}, ISO week {@code 2026-W45}, month {@code 2026-11}, quarter {@code 2026-Q4}. */
final class Periods {

    private Periods() {
    }

    /** First day of the period that holds {@code t}. */
    static LocalDate start(Instant t, Sla.Period per) {
        LocalDate day = LocalDate.ofInstant(t, ZoneOffset.UTC);
        return switch (per) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> LocalDate.of(day.getYear(), ((day.getMonthValue() - 1) / 3) * 3 + 1, 1);
        };
    }

    static LocalDate next(LocalDate start, Sla.Period per) {
        return switch (per) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
        };
    }

    static String label(LocalDate start, Sla.Period per) {
        return switch (per) {
            case DAY -> start.toString();
            case WEEK -> String.format("%d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR), start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> String.format("%d-%02d", start.getYear(), start.getMonthValue());
            case QUARTER -> start.getYear() + "-Q" + ((start.getMonthValue() - 1) / 3 + 1);
        };
    }
}
