package dev.handoff.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

    @Test
    void variablesReferencedInTheFileAndOverridingVariablesBothApply(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"), """
                handoff.marketo.client-secret=${env:MKTO_SECRET}
                handoff.ledger.url=jdbc:h2:file:./data/ledger
                handoff.map=marketo
                """);
        Map<String, String> env = Map.of("MKTO_SECRET", "s3cr3t-from-env", "HANDOFF_LEDGER_URL", "jdbc:postgresql://db/handoff",
                "HANDOFF_HTTP_PORT", "9090");

        Settings s = ConfigFiles.load(file, env::get);

        assertThat(s.secret("handoff.marketo.client-secret").reveal()).isEqualTo("s3cr3t-from-env");
        assertThat(s.string("handoff.ledger.url", "")).isEqualTo("jdbc:postgresql://db/handoff");
        assertThat(s.integer("handoff.http.port", 8080, -1, 65535)).isEqualTo(9090);
        assertThat(s.string("handoff.map", "")).isEqualTo("marketo");
    }

    @Test
    void aMissingReferencedVariableNamesTheKeyAndTheVariable(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"), "handoff.salesforce.client-secret=${env:NOPE}\n");
        assertThatThrownBy(() -> ConfigFiles.load(file, name -> null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("handoff.salesforce.client-secret").hasMessageContaining("NOPE");
    }
}
