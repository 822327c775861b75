package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void lineShowsCountRateAndEta() {
        assertThat(ProgressBar.line("leads", 250_000, 1_000_000, 100))
                .isEqualTo("leads [#######                     ]  25% 250,000/1,000,000  2,500/s  ETA 5m00s");
        assertThat(ProgressBar.line("leads", 1200, -1, 2)).isEqualTo("leads 1,200  600/s");
        // Under a second into a phase there is no honest rate (nor ETA) yet.
        assertThat(ProgressBar.line("leads", 500, 1000, 0.01)).endsWith("  -/s");
        assertThat(ProgressBar.duration(7325)).isEqualTo("2h02m");
    }

    @Test
    void withoutATerminalItPrintsWholeLinesAtMostEveryInterval() {
        StringWriter text = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false, Duration.ofSeconds(10), nanos::get);
        bar.phase("leads");
        for (int i = 1; i <= 30; i++) {
            nanos.addAndGet(1_000_000_000L);
            bar.update(i * 100L, 3000);
        }
        String[] lines = text.toString().split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("leads [").doesNotContain("\r"));
    }

    @Test
    void onATerminalItRedrawsOneLine() {
        StringWriter text = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), true, Duration.ofSeconds(10), nanos::get);
        bar.phase("leads");
        nanos.addAndGet(2_000_000_000L);
        bar.update(100, 1000);
        nanos.addAndGet(1_000_000_000L);
        bar.update(200, 1000);
        bar.finishLine();
        assertThat(text.toString()).startsWith("\rleads [").contains("\rleads [").endsWith(System.lineSeparator())
                .doesNotContain(System.lineSeparator() + "\r");
    }
}
