package dev.handoff.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.definition.Sla;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PeriodsTest {

    private static final Instant T = Instant.parse("2026-11-05T23:30:00Z"); // a Thursday

    @Test
    void periodsStartOnTheirFirstDayInUtcAndReadAsAdminsWriteThem() {
        assertThat(Periods.label(Periods.start(T, Sla.Period.DAY), Sla.Period.DAY)).isEqualTo("2026-11-05");
        assertThat(Periods.start(T, Sla.Period.WEEK)).isEqualTo(LocalDate.of(2026, 11, 2));
        assertThat(Periods.label(Periods.start(T, Sla.Period.WEEK), Sla.Period.WEEK)).isEqualTo("2026-W45");
        assertThat(Periods.label(Periods.start(T, Sla.Period.MONTH), Sla.Period.MONTH)).isEqualTo("2026-11");
        assertThat(Periods.start(T, Sla.Period.QUARTER)).isEqualTo(LocalDate.of(2026, 10, 1));
        assertThat(Periods.label(Periods.start(T, Sla.Period.QUARTER), Sla.Period.QUARTER)).isEqualTo("2026-Q4");
        assertThat(Periods.next(LocalDate.of(2026, 10, 1), Sla.Period.QUARTER)).isEqualTo(LocalDate.of(2027, 1, 1));
        // the ISO week of 2027-01-01 (a Friday) belongs to 2026
        assertThat(Periods.label(Periods.start(Instant.parse("2027-01-01T00:00:00Z"), Sla.Period.WEEK), Sla.Period.WEEK))
                .isEqualTo("2026-W53");
    }
}
