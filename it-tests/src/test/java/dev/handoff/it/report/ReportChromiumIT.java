package dev.handoff.it.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.cli.HandoffCli;
import dev.handoff.demo.DemoRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The SLA report as a browser shows it: {@code handoff report} on the ledger of a demo run, loaded in
 * headless Chromium (installed by {@code src/test/scripts/ensure-chromium.sh} at pre-integration-test).
 * The page must load, log nothing to the console, and have its charts in the rendered DOM; a
 * screenshot is kept as {@code it-tests/target/report-screenshot.png}. Every Chromium run is bounded
 * by a timeout and gets a fresh profile directory.
 */
class ReportChromiumIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("HANDOFF_CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCREENSHOT = Path.of("it-tests/target/report-screenshot.png");
    private static final Duration CHROMIUM_TIMEOUT = Duration.ofSeconds(90);
    /** How Chromium's {@code --enable-logging=stderr} reports a page's console message. */
    private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[:(\\]]");
    private static final List<String> CHARTS = List.of("chart-quantity", "chart-speed", "chart-reasons", "chart-feedback");

    @TempDir
    static Path dir;
    static Path report;
    static DemoRun.Report demo;

    @BeforeAll
    static void reportFromADemoLedger() throws Exception {
        assertThat(CHROMIUM).as("Chromium (run it-tests/src/test/scripts/ensure-chromium.sh)").isExecutable();
        demo = DemoRun.execute(new DemoRun.Options(150, 3, 0, Path.of("config/qualification.yaml"), Duration.ofHours(6), 40,
                Duration.ofSeconds(120), dir.resolve("demo"), 0, "marketo"));
        assertThat(demo.success()).as(String.valueOf(demo.problem())).isTrue();
        assertThat(demo.report()).exists();
        Path config = dir.resolve("report.properties");
        Files.writeString(config, "handoff.ledger.url=jdbc:h2:file:" + demo.ledger().toAbsolutePath() + "\n"
                + "handoff.definition=config/qualification.yaml\n");
        report = dir.resolve("sla-report.html");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HandoffCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("report", "--config", config.toString(), "--out", report.toString(), "--period", "day",
                "--at", DemoRun.START.plus(demo.simulated()).toString());
        assertThat(code).as("handoff report: %s", err).isZero();
    }

    /** One bounded headless Chromium run; stdout and stderr go to files, since a full pipe would block it. */
    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile-");
        Path stdout = Files.createTempFile(dir, "chromium-", ".out");
        Path stderr = Files.createTempFile(dir, "chromium-", ".err");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            if (!p.waitFor(CHROMIUM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish within " + CHROMIUM_TIMEOUT.toSeconds() + " s: " + command);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            deleteTree(profile);
        }
        return new Run(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr,
                StandardCharsets.UTF_8));
    }

    private static List<String> consoleMessages(Run run) {
        return run.stderr().lines().filter(l -> CONSOLE.matcher(l).find()).toList();
    }

    @Test
    void theReportLoadsWithoutConsoleMessagesAndItsChartsAreInTheRenderedDom() throws Exception {
        Run run = chromium("--dump-dom", report.toUri().toString());
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(consoleMessages(run)).as("console messages").isEmpty();
        String dom = run.stdout();
        assertThat(dom).contains("<h1>Lead handoff SLA report — acme-mql@v3</h1>");
        for (String chart : CHARTS) {
            Matcher svg = Pattern.compile("<svg class=\"chart\" id=\"" + chart + "\"[^>]*viewBox=").matcher(dom);
            assertThat(svg.find()).as("chart %s rendered", chart).isTrue();
        }
        assertThat(count(dom, "<rect class=\"bar\"")).as("bars").isGreaterThanOrEqualTo(2);
        assertThat(dom).contains("class=\"band\"", "<path class=\"line median\"");
        // the demo's slow rep shows as breaches in the report
        assertThat(demo.slaBreaches()).isPositive();
        assertThat(dom).containsPattern("median [0-9.]+ (min|h|d), p90 [0-9.]+ (min|h|d) \\(agreed 24h\\); [1-9][0-9]* breached");
    }

    @Test
    void aScreenshotOfTheReportIsKeptAsABuildArtifact() throws Exception {
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);
        Run run = chromium("--hide-scrollbars", "--window-size=1100,2600",
                "--screenshot=" + SCREENSHOT.toAbsolutePath(), report.toUri().toString());
        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(consoleMessages(run)).isEmpty();
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png.length).as("a page with charts, not a blank one").isGreaterThan(50_000);
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void theConsoleCheckCatchesAPageThatLogs() throws Exception {
        Path noisy = dir.resolve("noisy.html");
        Files.writeString(noisy, "<!DOCTYPE html><html><body><p>x</p><script>console.error('report-check-control')"
                + "</script></body></html>");
        Run run = chromium("--dump-dom", noisy.toUri().toString());
        assertThat(consoleMessages(run)).singleElement().asString().contains("report-check-control");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
