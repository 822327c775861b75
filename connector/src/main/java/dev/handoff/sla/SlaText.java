package dev.handoff.sla;

import java.time.Duration;

/** Durations as people write them in the definition: {@code 24h}, {@code 1d12h}, {@code 30m}. */
public final class SlaText {

    private SlaText() {
    }

    public static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        long minutes = d.toMinutes();
        if (minutes == 0) {
            return d.toSeconds() + "s";
        }
        // days only from two on: people say 24h and 36h, and 2d
        long days = minutes >= 48 * 60 ? minutes / (24 * 60) : 0;
        long hours = minutes / 60 - days * 24;
        long mins = minutes % 60;
        StringBuilder sb = new StringBuilder();
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (mins > 0) {
            sb.append(mins).append('m');
        }
        return sb.toString();
    }

    /** Milliseconds as a short human duration with one decimal: {@code 45 min}, {@code 5.2 h}, {@code 3.1 d}. */
    public static String millis(Double ms) {
        if (ms == null) {
            return "–";
        }
        double minutes = ms / 60_000.0;
        if (minutes < 90) {
            return String.format(java.util.Locale.ROOT, "%.0f min", minutes);
        }
        double hours = minutes / 60;
        if (hours < 48) {
            return String.format(java.util.Locale.ROOT, "%.1f h", hours);
        }
        return String.format(java.util.Locale.ROOT, "%.1f d", hours / 24);
    }
}
