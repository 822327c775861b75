package dev.handoff.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken-definition corpus: each file under {@code definitions/broken} states, in its
 * {@code # expect: LINE:COL: text} header lines, every problem the validator must report for it.
 */
class BrokenDefinitionsTest {

    static final Path BROKEN = Path.of("src/test/resources/definitions/broken");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+): (.+)");

    static Stream<Path> brokenFiles() throws IOException {
        try (Stream<Path> files = Files.list(BROKEN)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void corpusHasOneFilePerKindOfProblemAndOneWithSeveral() throws IOException {
        assertThat(brokenFiles()).hasSizeGreaterThanOrEqualTo(12);
        assertThat(expectations(BROKEN.resolve("several-problems.yaml"))).hasSizeGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void everyProblemIsReportedAtItsKeyInFileOrder(Path file) throws IOException {
        List<Expectation> expected = expectations(file);
        assertThat(expected).as("expect lines in " + file).isNotEmpty();

        List<DefinitionException.Problem> problems = DefinitionLoader.validate(file);

        assertThat(problems).as(problems.toString()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            DefinitionException.Problem p = problems.get(i);
            Expectation e = expected.get(i);
            assertThat(p.file()).isEqualTo(file);
            assertThat(p.line() + ":" + p.column()).as(p.toString()).isEqualTo(e.line() + ":" + e.column());
            assertThat((p.key().isEmpty() ? "(document)" : p.key()) + ": " + p.message()).contains(e.text());
            assertThat(p.toString()).startsWith(file + ":" + e.line() + ":" + e.column() + ": ");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenDefinitionNeverLoadsAndItsMessageListsEveryProblem(Path file) {
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> DefinitionLoader.load(file));

        assertThat(e).isNotNull();
        List<String> lines = new ArrayList<>();
        for (DefinitionException.Problem p : e.problems()) {
            lines.add(p.toString());
        }
        assertThat(e.getMessage()).isEqualTo(String.join("\n", lines));
        assertThat(e.problems()).isEqualTo(DefinitionLoader.validate(file));
        assertThat(e.line()).isEqualTo(e.problems().get(0).line());
    }

    record Expectation(int line, int column, String text) {
    }

    static List<Expectation> expectations(Path file) throws IOException {
        List<Expectation> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = EXPECT.matcher(line);
            if (m.matches()) {
                out.add(new Expectation(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3)));
            }
        }
        return out;
    }
}
