package dev.handoff.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress line for long admin commands, on stderr: count, expected total, rate and ETA. On a
 * terminal it redraws one line with a carriage return a few times a second; otherwise (a log
 * file, a pipe) it prints a full line every {@code logEvery} so the log stays readable.
 */
final class ProgressBar {

    private static final int WIDTH = 28;

    private final PrintWriter err;
    private final boolean terminal;
    private final long redrawNanos;
    private final LongSupplier nanos;
    private String label = "";
    private long labelStart;
    private long last = Long.MIN_VALUE;
    private boolean drawn;

    ProgressBar(PrintWriter err, boolean terminal, java.time.Duration logEvery, LongSupplier nanos) {
        this.err = err;
        this.terminal = terminal;
        this.redrawNanos = terminal ? 200_000_000L : logEvery.toNanos();
        this.nanos = nanos;
        this.labelStart = nanos.getAsLong();
    }

    /** Starts a new phase; its rate and ETA count from now. */
    void phase(String name) {
        finishLine();
        label = name;
        labelStart = nanos.getAsLong();
        last = Long.MIN_VALUE;
    }

    /** Draws if enough time has passed since the last draw. */
    void update(long done, long expected) {
        long now = nanos.getAsLong();
        if (last != Long.MIN_VALUE && now - last < redrawNanos) {
            return;
        }
        last = now;
        String line = line(label, done, expected, (now - labelStart) / 1e9);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            drawn = true;
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the redrawn line so the next output starts on its own line. */
    void finishLine() {
        if (terminal && drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    static String line(String label, long done, long expected, double seconds) {
        // Under a second into a phase a rate means nothing yet.
        double rate = seconds >= 1 ? done / seconds : 0;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (expected > 0) {
            double fraction = Math.min(1, (double) done / expected);
            int filled = (int) Math.round(fraction * WIDTH);
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%3.0f%% %,d/%,d", fraction * 100, done, expected));
        } else {
            sb.append(String.format(Locale.ROOT, "%,d", done));
        }
        sb.append(rate > 0 ? String.format(Locale.ROOT, "  %,.0f/s", rate) : "  -/s");
        if (expected > 0 && rate > 0 && done < expected) {
            sb.append("  ETA ").append(duration((expected - done) / rate));
        }
        return sb.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
