package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {

    static Path stricterCopy(Path dir) throws IOException {
        Path shipped = Path.of(Cli.DEFINITION);
        Files.createDirectories(dir.resolve("lists"));
        Files.copy(shipped.resolveSibling("lists/personal_domains.txt"), dir.resolve("lists/personal_domains.txt"),
                StandardCopyOption.REPLACE_EXISTING);
        String yaml = Files.readString(shipped).replace("version: 3", "version: 4")
                .replace("when: {fit: \">= 40\"", "when: {fit: \">= 50\"");
        Path file = dir.resolve("stricter.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void sameDefinitionHasNoDifferences() {
        Cli r = Cli.run("diff", Cli.DEFINITION, Cli.DEFINITION);

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("No differences.\n");
    }

    @Test
    void changesArePrintedAsSentencesAndStillExitZero(@TempDir Path dir) throws IOException {
        Cli r = Cli.run("diff", Cli.DEFINITION, stricterCopy(dir).toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("Version 3 → 4.\nMQL fit threshold raised from ≥ 40 to ≥ 50.\n");
    }

    @Test
    void invalidNewDefinitionExitsTwo(@TempDir Path dir) throws IOException {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "definition: [\n");

        Cli r = Cli.run("diff", Cli.DEFINITION, broken.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(broken.toString());
    }
}
