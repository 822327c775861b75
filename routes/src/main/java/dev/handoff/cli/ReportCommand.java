package dev.handoff.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.handoff.app.ConfigFiles;
import dev.handoff.config.ConfigException;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.definition.Sla;
import dev.handoff.ledger.Ledger;
import dev.handoff.sla.SlaMetrics;
import dev.handoff.sla.SlaReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code handoff report}: the SLA between marketing and sales, measured from the ledger the
 * configuration names (running sidecar or not): quantity against the agreed range, speed to
 * accept, acceptance and conversion against the quality target, reject reasons, feedback
 * completeness, by period, source and definition version.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the SLA report from the ledger: a self-contained HTML page (inline SVG charts) or JSON.")
public final class ReportCommand implements Callable<Integer> {

    /** Lower-case so the options read {@code --format html|json}. */
    enum Format { html, json }

    @Option(names = "--config", description = "application.properties (default: ${DEFAULT-VALUE})",
            defaultValue = "config/application.properties")
    Path config;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report here (UTF-8) instead of to standard output.")
    Path out;

    @Option(names = "--format", defaultValue = "html", paramLabel = "html|json", description = "html (default) or json.")
    Format format;

    @Option(names = "--period", paramLabel = "day|week|month|quarter",
            description = "Reporting period (default: the definition's sla.quantity.per).")
    String period;

    @Option(names = "--at", paramLabel = "ISO-8601", description = "Report as of this time (default: now).")
    String at;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Sla.Period per = parsePeriod(period);
        Instant asOf = parseAt(at);
        Settings settings = ConfigFiles.load(config);
        Definition definition = DefinitionLoader.load(Path.of(settings.string("handoff.definition", "config/qualification.yaml")));
        String text;
        try (Ledger ledger = Ledger.open(settings.string("handoff.ledger.url", "jdbc:h2:file:./data/handoff-ledger"),
                settings.string("handoff.ledger.user", "sa"), Secret.of(settings.string("handoff.ledger.password", "")),
                Clock.systemUTC())) {
            text = render(SlaMetrics.of(ledger, definition, per, asOf), definition, format);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(text);
            stdout.flush();
            return HandoffCli.OK;
        }
        try {
            write(out, text);
        } catch (IOException e) {
            spec.commandLine().getErr().println("handoff: cannot write " + out + ": " + e);
            return HandoffCli.RUNTIME_FAILURE;
        }
        stdout.println("Wrote the SLA report (" + format + ") to " + out);
        stdout.flush();
        return HandoffCli.OK;
    }

    /** The report as text in {@code format}; JSON is pretty-printed. */
    public static String render(SlaMetrics.Report report, Definition definition, Format format) {
        if (format == Format.html) {
            return SlaReport.html(report, definition);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(SlaReport.json(report))
                    + System.lineSeparator();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the SLA report", e);
        }
    }

    /** Writes the HTML report of {@code ledger} to {@code file}; the demo uses this. */
    public static Path writeHtml(Ledger ledger, Definition definition, Sla.Period period, Instant asOf, Path file)
            throws IOException {
        write(file, SlaReport.html(SlaMetrics.of(ledger, definition, period, asOf), definition));
        return file;
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static Sla.Period parsePeriod(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Sla.Period.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--period", "'" + text + "' is not one of day, week, month, quarter");
        }
    }

    private static Instant parseAt(String text) {
        if (text == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ConfigException("--at", "'" + text + "' is not an ISO-8601 instant like 2026-11-30T00:00:00Z");
        }
    }
}
