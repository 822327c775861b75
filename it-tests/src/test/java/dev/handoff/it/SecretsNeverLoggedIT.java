package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.handoff.demo.DemoRun;
import dev.handoff.emulator.hubspot.HubSpotEmulator;
import dev.handoff.emulator.marketo.DemoLeadGenerator;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Whole demos, faults and malformed leads included, with every log line and stack trace kept:
 * none may carry a credential or a lead's email address.
 */
class SecretsNeverLoggedIT {

    @TempDir
    Path dir;

    private static String text(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            b.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                b.append('\n').append(s.getSTEAsString());
            }
        }
        return b.toString();
    }

    @Test
    void noCredentialAndNoLeadEmailAppearsInAnyLogLine() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level before = root.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            DemoRun.Report marketo = DemoRun.execute(new DemoRun.Options(400, 13, 12, EmulatedWorld.DEFINITION,
                    Duration.ofHours(6), 40, Duration.ofSeconds(120), dir.resolve("m"), 0.05, "marketo"));
            DemoRun.Report hubspot = DemoRun.execute(new DemoRun.Options(300, 13, 0, EmulatedWorld.DEFINITION,
                    Duration.ofHours(6), 40, Duration.ofSeconds(120), dir.resolve("h"), 0.05, "hubspot"));
            assertThat(marketo.success()).isTrue();
            assertThat(hubspot.success()).isTrue();
        } finally {
            root.detachAppender(logs);
            root.setLevel(before);
        }

        List<String> secrets = List.of(SalesforceEmulator.Settings.defaults().clientSecret(),
                MarketoEmulator.Settings.defaults().clientSecret(), HubSpotEmulator.Settings.defaults().token(),
                SalesforceEmulator.Settings.defaults().password());
        List<String> emails = new ArrayList<>();
        for (DemoLeadGenerator.SeedLead l : DemoLeadGenerator.generate(13, 400, 12, DemoRun.START)) {
            if (l.fields().get("email") instanceof String e && e.contains("@") && e.indexOf('@') > 1) {
                emails.add(e);
            }
        }
        List<String> lines = logs.list.stream().map(SecretsNeverLoggedIT::text).toList();
        for (String line : lines) {
            for (String secret : secrets) {
                assertThat(line).as("a log line reveals a credential").doesNotContain(secret);
            }
            for (String email : emails) {
                assertThat(line).as("a log line reveals a lead's email").doesNotContain(email);
            }
        }
        // the scan saw real traffic, including the lines that name refused leads
        assertThat(lines).as("the demos logged something to scan").hasSizeGreaterThan(20);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("quarantined lead"));
    }
}
