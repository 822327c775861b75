package dev.handoff.it;

import static org.awaitility.Awaitility.await;

import dev.handoff.app.HandoffApplication;
import dev.handoff.config.Settings;
import dev.handoff.emulator.Sandbox;
import dev.handoff.emulator.VirtualClock;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Both emulators on a virtual clock plus, on demand, the real application pointed at them with a
 * ledger in a test directory. {@link #cycle()} advances the clock one poll interval and waits
 * until both routes have finished a cycle at the new time.
 */
final class EmulatedWorld implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    static final Duration INTERVAL = Duration.ofHours(6);
    static final Path DEFINITION = Path.of("config/qualification.yaml");
    static final List<String> REASONS = List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE", "WRONG_CONTACT", "NOT_INTERESTED",
            "NO_BUDGET", "DUPLICATE", "OTHER");

    final VirtualClock clock = new VirtualClock(START);
    final SalesforceEmulator.Settings sfSettings;
    final MarketoEmulator.Settings mkSettings = MarketoEmulator.Settings.defaults();
    final Sandbox sandbox;
    final Path ledgerFile;
    /** Added to (or overriding) the application's properties, e.g. {@link #withWebhooks}. */
    final Map<String, String> extraProperties = new HashMap<>();
    private HandoffApplication app;

    EmulatedWorld(Path dir, long seed) {
        this(dir, seed, s -> s);
    }

    /** A world whose Salesforce org is adjusted first, e.g. with a sales pipeline that converts every lead. */
    EmulatedWorld(Path dir, long seed, java.util.function.UnaryOperator<SalesforceEmulator.Settings> org) {
        sfSettings = org.apply(SalesforceEmulator.Settings.defaults().withReps(REASONS,
                List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE"), Duration.ofMinutes(30), Duration.ofHours(5), seed));
        sandbox = new Sandbox(clock, sfSettings, mkSettings, 0).start();
        ledgerFile = dir.resolve("ledger");
    }

    Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(sandbox.connectorProperties(sfSettings, mkSettings));
        p.put("handoff.definition", DEFINITION.toString());
        p.put("handoff.ledger.url", "jdbc:h2:file:" + ledgerFile.toAbsolutePath());
        p.put("handoff.marketo.intake-since", START.minus(Duration.ofDays(365)).toString());
        p.put("handoff.intake.interval", INTERVAL.toString());
        p.put("handoff.disposition.interval", INTERVAL.toString());
        p.put("handoff.outcome.interval", INTERVAL.toString());
        p.put("handoff.poll.tick", "20ms");
        p.put("handoff.retry.initial-delay", "50ms");
        p.put("handoff.http.port", "0");
        p.putAll(extraProperties);
        return p;
    }

    /** Turns on webhook intake for {@code sources} on {@code port}, every source with the same secret. */
    EmulatedWorld withWebhooks(int port, String secret, String... sources) {
        extraProperties.put("handoff.webhook.sources", String.join(",", sources));
        extraProperties.put("handoff.webhook.port", String.valueOf(port));
        for (String source : sources) {
            extraProperties.put("handoff.webhook.secret." + source, secret);
        }
        return this;
    }

    Settings settings() {
        return new Settings(properties());
    }

    HandoffApplication startApplication() {
        app = HandoffApplication.start(settings(), clock);
        awaitCycles();
        return app;
    }

    void stopApplication() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    HandoffApplication app() {
        return app;
    }

    /** One poll interval of simulated time, then both flows run once at the new time. */
    void cycle() {
        clock.advance(INTERVAL);
        awaitCycles();
    }

    /** Simulated time jumps ahead (days, months), then every flow runs once at the new time. */
    void advance(Duration d) {
        clock.advance(d);
        awaitCycles();
    }

    private void awaitCycles() {
        Instant now = clock.instant();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() ->
                app.allFlowsCompletedSince(now));
    }


    @Override
    public void close() {
        stopApplication();
        sandbox.close();
    }
}
