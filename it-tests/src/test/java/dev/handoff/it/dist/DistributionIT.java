package dev.handoff.it.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code handoff-<version>.tar.gz} an admin downloads: unpacked, it runs on its own (no Maven,
 * no repository), holds the sidecar's runtime only, and carries the default configuration.
 */
class DistributionIT {

    @TempDir
    static Path unpacked;

    static Path home;

    @BeforeAll
    static void unpack() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(Path.of("routes", "target"))) {
            tarball = files.filter(p -> p.getFileName().toString().matches("handoff-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no handoff-<version>.tar.gz in routes/target"));
        }
        Result tar = exec(unpacked, "tar", "xzf", tarball.toAbsolutePath().toString());
        assertThat(tar.exit()).as(tar.output()).isZero();
        try (Stream<Path> dirs = Files.list(unpacked)) {
            home = dirs.findFirst().orElseThrow();
        }
    }

    @Test
    void holdsTheLauncherTheSidecarAndItsConfigurationButNoTestCode() throws IOException {
        assertThat(home.getFileName().toString()).startsWith("handoff-");
        assertThat(Files.isExecutable(home.resolve("bin/handoff"))).isTrue();
        assertThat(home.resolve("config/qualification.yaml")).exists();
        assertThat(home.resolve("config/qualification.schema.json")).exists();
        assertThat(home.resolve("config/application.properties")).exists();
        assertThat(home.resolve("systemd/handoff.service")).exists();
        List<String> lib;
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            lib = jars.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(lib).anyMatch(j -> j.startsWith("handoff-routes-")).anyMatch(j -> j.startsWith("handoff-connector-"))
                .anyMatch(j -> j.startsWith("camel-core-engine-")).anyMatch(j -> j.startsWith("force-wsc-"));
        assertThat(lib).noneMatch(j -> j.startsWith("wiremock") || j.startsWith("junit") || j.startsWith("assertj")
                || j.startsWith("handoff-it-tests") || j.startsWith("jmh"));
    }

    @Test
    void theUnpackedLauncherRunsTheCliWithoutTheRepository() throws Exception {
        Result version = exec(home, "bin/handoff", "--version");
        assertThat(version.exit()).as(version.output()).isZero();
        assertThat(version.output()).contains("handoff");

        Result valid = exec(home, "bin/handoff", "validate", "config/qualification.yaml");
        assertThat(valid.exit()).as(valid.output()).isZero();

        Path broken = Files.writeString(unpacked.resolve("broken.yaml"), "definition: x\nfit: [\n");
        Result invalid = exec(home, "bin/handoff", "validate", broken.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.output()).contains("broken.yaml");
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(Path dir, String... command) throws Exception {
        Path out = Files.createTempFile(unpacked, "exec", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
