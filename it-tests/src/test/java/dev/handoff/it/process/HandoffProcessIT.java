package dev.handoff.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-process harness itself: a separate JVM runs the CLI with the test classpath. */
class HandoffProcessIT {

    @Test
    void aChildJvmRunsTheCliAndReportsItsExitCode(@TempDir Path dir) throws Exception {
        try (HandoffProcess ok = HandoffProcess.start(dir.resolve("ok.log"), Map.of(),
                "validate", "config/qualification.yaml")) {
            assertThat(ok.waitFor(Duration.ofSeconds(60))).as(ok.output()).isZero();
        }
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "name: [unclosed\n");
        try (HandoffProcess bad = HandoffProcess.start(dir.resolve("bad.log"), Map.of(),
                "validate", broken.toString())) {
            assertThat(bad.waitFor(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(bad.output()).contains("broken.yaml");
        }
    }
}
