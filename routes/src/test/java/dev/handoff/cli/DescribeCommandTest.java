package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescribeCommandTest {

    @Test
    void markdownIsTheDefault() {
        Cli r = Cli.run("describe", Cli.DEFINITION);

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("# Lead agreement: acme-mql, version 3")
                .contains("## What makes a lead sales-ready").contains("## Agreed by");
    }

    @Test
    void htmlIsASelfContainedPage() {
        Cli r = Cli.run("describe", Cli.DEFINITION, "--format", "html");

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("<!DOCTYPE html>").contains("<h1>Lead agreement: acme-mql, version 3</h1>")
                .endsWith("</html>\n").doesNotContain("<script");
    }

    @Test
    void outWritesTheDocumentToAFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("agreement.html");

        Cli r = Cli.run("describe", Cli.DEFINITION, "--format", "html", "--out", out.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("acme-mql@v3").contains(out.toString());
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>");
    }

    @Test
    void unknownFormatAndMissingFileExitTwo() {
        assertThat(Cli.run("describe", Cli.DEFINITION, "--format", "pdf").code()).isEqualTo(2);
        assertThat(Cli.run("describe", "no-such-definition.yaml").code()).isEqualTo(2);
    }
}
