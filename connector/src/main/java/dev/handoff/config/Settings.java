package dev.handoff.config;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Typed, validated access to flat {@code handoff.*} properties. Every accessor names the key in
 * its error so an admin can fix the file without reading code.
 */
public final class Settings {

    private final Map<String, String> values;
    private final java.util.function.UnaryOperator<String> environment;

    public Settings(Map<String, String> values) {
        this(values, name -> null);
    }

    private Settings(Map<String, String> values, java.util.function.UnaryOperator<String> environment) {
        this.values = new TreeMap<>(values);
        this.environment = environment;
    }

    /**
     * Settings where an environment variable overrides the key it names, whether or not the file
     * has that key: {@code HANDOFF_LEDGER_URL} overrides {@code handoff.ledger.url} (see
     * {@link #environmentName}). Suits containers, where config files are baked in and
     * deployments differ by environment.
     */
    public static Settings withEnvironment(Map<String, String> values, java.util.function.UnaryOperator<String> environment) {
        return new Settings(values, java.util.Objects.requireNonNull(environment, "environment"));
    }

    /** The environment variable that overrides {@code key}: upper case, {@code .} and {@code -} as {@code _}. */
    public static String environmentName(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
        }
        return out.toString();
    }

    public Optional<String> optional(String key) {
        String v = environment.apply(environmentName(key));
        if (v == null) {
            v = values.get(key);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new ConfigException(key, "is required"));
    }

    public String string(String key, String fallback) {
        return optional(key).orElse(fallback);
    }

    public Secret secret(String key) {
        return Secret.of(required(key));
    }

    public URI uri(String key) {
        String v = required(key);
        try {
            URI uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException(key, "'" + v + "' is not an absolute http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "'" + v + "' is not a URL (" + e.getMessage() + ")");
        }
    }

    public int integer(String key, int fallback, int min, int max) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new ConfigException(key, n + " is outside " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "'" + v.get() + "' is not a whole number");
        }
    }

    /** ISO-8601 ({@code PT5M}) or the short forms {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}. */
    public Duration duration(String key, Duration fallback) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return fallback;
        }
        Duration d = parseDuration(v.get());
        if (d == null) {
            throw new ConfigException(key, "'" + v.get() + "' is not a duration (examples: 500ms, 30s, 5m, 2h, PT5M)");
        }
        return d;
    }

    public Instant instant(String key, Instant fallback) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Instant.parse(v.get());
        } catch (DateTimeParseException e) {
            throw new ConfigException(key, "'" + v.get() + "' is not an ISO-8601 instant like 2026-01-01T00:00:00Z");
        }
    }

    public boolean bool(String key, boolean fallback) {
        Optional<String> v = optional(key);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, "'" + v.get() + "' is not true or false");
        };
    }

    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }

    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }
}
