package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.emulator.marketo.MarketoEmulator;
import dev.handoff.emulator.salesforce.SalesforceEmulator;
import dev.handoff.it.process.HandoffProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HANDOFF_LOG_FORMAT=json}: a whole demo in a separate JVM, at DEBUG, with malformed leads,
 * writes nothing but JSON objects (the demo's own result is the last one), and none of them
 * carries a credential or an unmasked email.
 */
class JsonLogsIT {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

    @Test
    void everyLineIsAJsonObjectWithoutSecretsOrEmails(@TempDir Path dir) throws Exception {
        try (HandoffProcess demo = HandoffProcess.start(dir.resolve("demo.log"),
                Map.of("HANDOFF_LOG_FORMAT", "json", "HANDOFF_LOG_LEVEL", "DEBUG"),
                "demo", "--leads", "150", "--seed", "9", "--bad-input", "5", "--json")) {
            assertThat(demo.waitFor(Duration.ofSeconds(240))).as(demo.output()).isZero();
            List<String> lines = demo.output().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSizeGreaterThan(5);
            ObjectMapper json = new ObjectMapper();
            int logEvents = 0;
            List<String> secrets = List.of(SalesforceEmulator.Settings.defaults().clientSecret(),
                    MarketoEmulator.Settings.defaults().clientSecret());
            for (String line : lines) {
                JsonNode node = json.readTree(line);
                assertThat(node.isObject()).as("not a JSON object: %s", line).isTrue();
                if (node.has("level")) {
                    logEvents++;
                    assertThat(node.has("formattedMessage")).isTrue();
                    assertThat(node.has("loggerName")).isTrue();
                }
                for (String secret : secrets) {
                    assertThat(line).as("a log line reveals a credential").doesNotContain(secret);
                }
                assertThat(EMAIL.matcher(line).find()).as("an unmasked email in: %s", line).isFalse();
            }
            assertThat(logEvents).isPositive();
            JsonNode result = json.readTree(lines.get(lines.size() - 1));
            assertThat(result.get("complete").asBoolean()).isTrue();
        }
    }
}
