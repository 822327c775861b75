package dev.handoff.cli;

import dev.handoff.definition.AgreementDocument;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Renders a definition as the one-page lead agreement both teams read and sign. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Render a definition as a one-page lead agreement (Markdown or self-contained HTML).")
public final class DescribeCommand implements Callable<Integer> {

    /** Lower-case so the options read {@code --format md|html}. */
    enum Format { md, html }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The qualification definition YAML.")
    Path file;

    @Option(names = "--format", defaultValue = "md", paramLabel = "md|html",
            description = "md (default) or html (prints on one page).")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the document here (UTF-8) instead of to standard output.")
    Path out;

    @Override
    public Integer call() {
        Definition d = DefinitionLoader.load(file);
        AgreementDocument doc = AgreementDocument.of(d);
        String text = format == Format.html ? doc.html() : doc.markdown();
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(text);
            stdout.flush();
            return HandoffCli.OK;
        }
        try {
            Files.writeString(out, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            spec.commandLine().getErr().println("handoff: cannot write " + out + ": " + e);
            return HandoffCli.RUNTIME_FAILURE;
        }
        stdout.println("Wrote the " + d.label() + " agreement to " + out);
        stdout.flush();
        return HandoffCli.OK;
    }
}
