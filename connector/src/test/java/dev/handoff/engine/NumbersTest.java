package dev.handoff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersTest {

    static Stream<Arguments> unambiguousNumbers() {
        return Stream.of(
                Arguments.of("12000000", 12_000_000d),
                Arguments.of("12,000,000", 12_000_000d),
                Arguments.of("12 000 000", 12_000_000d),
                Arguments.of("12\u00A0000\u00A0000", 12_000_000d),
                Arguments.of("12\u202F000\u202F000", 12_000_000d),
                Arguments.of("1'000'000", 1_000_000d),
                Arguments.of("1,234.5", 1_234.5d),
                Arguments.of("$5M", 5_000_000d),
                Arguments.of("5m", 5_000_000d),
                Arguments.of("5 MM", 5_000_000d),
                Arguments.of("€2.5B", 2_500_000_000d),
                Arguments.of("2.5 bn EUR", 2_500_000_000d),
                Arguments.of("10k", 10_000d),
                Arguments.of("10 000k", 10_000_000d),
                Arguments.of("1.1M", 1_100_000d),
                Arguments.of("3 million", 3_000_000d),
                Arguments.of("USD 5,000,000", 5_000_000d),
                Arguments.of("5,000,000 USD", 5_000_000d),
                Arguments.of("5000000EUR", 5_000_000d),
                Arguments.of("US$5M", 5_000_000d),
                Arguments.of("£750k", 750_000d),
                Arguments.of("-$5M", -5_000_000d),
                Arguments.of("$-5M", -5_000_000d),
                Arguments.of("\u22125", -5d),
                Arguments.of("1.2e7", 12_000_000d),
                Arguments.of("1E-3", 0.001d),
                Arguments.of(" 500 ", 500d),
                Arguments.of("\t500\r\n", 500d),
                Arguments.of("0500", 500d),
                Arguments.of("-3.5", -3.5d),
                Arguments.of(".5", 0.5d),
                Arguments.of("5.", 5d),
                Arguments.of("0.05", 0.05d),
                Arguments.of("123456789012345678901234", 1.2345678901234568e23),
                Arguments.of("1e-400", 0d));
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @MethodSource("unambiguousNumbers")
    void unambiguousTextIsReadAsItsNumber(String text, double expected) {
        assertThat(Numbers.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is not a number")
    @ValueSource(strings = {"", "   ", "5-10M", "about 5M", "~5M", "5M+", ">10M", "1,2", "1,2345", "12,00,000",
        "12.000.000", "1,000 000", "12,000.000,5", "NaN", "Infinity", "-Infinity", "0x1F", "1e400", "5e", "e5", ".",
        "-", "$", "k", "5mb", "5 mio.", "50%", "(5,000)", "$5M USD", "5 5", "2024 500", "١٢٣", "five", "true",
        "[1,2]", "{\"v\":1}", "5\u00002"})
    void ambiguousOrNonNumericTextIsNotANumber(String text) {
        assertThat(Numbers.parse(text)).isNaN();
    }

    @Test
    void nullIsNotANumber() {
        assertThat(Numbers.parse(null)).isNaN();
    }

    @Test
    void hugeDigitStringsNeverOverflowToInfinity() {
        assertThat(Numbers.parse("9".repeat(400))).isNaN();
        assertThat(Numbers.parse("9".repeat(300))).isEqualTo(1e300);
        assertThat(Numbers.parse("1".repeat(100_000) + "x")).isNaN();
    }

    static Stream<Arguments> readings() {
        return Stream.of(
                Arguments.of("60000000", "60,000,000 ≥ 50,000,000"),
                Arguments.of(" 60000000 ", "60,000,000 ≥ 50,000,000"),
                Arguments.of("$5M", "annual_revenue '$5M' read as 5,000,000; 5,000,000 < 10,000,000"),
                Arguments.of("1.2e7", "annual_revenue '1.2e7' read as 12,000,000; 12,000,000 ≥ 10,000,000"),
                Arguments.of("about 5M", "annual_revenue 'about 5M' is not a number, scored as missing"),
                Arguments.of("5-10M", "annual_revenue '5-10M' is not a number, scored as missing"));
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @MethodSource("readings")
    void explanationSaysHowARevenueWasRead(String value, String expected) {
        CompiledCheck revenue = revenueCriterion();

        assertThat(Numbers.withReading("annual_revenue", value, revenue.describe(value))).isEqualTo(expected);
    }

    static CompiledCheck revenueCriterion() {
        for (CompiledCheck c : new QualificationEngine(QualificationEngineTest.DEFINITION).criteria) {
            if (c.id.equals("revenue")) {
                return c;
            }
        }
        throw new AssertionError("the default definition has no revenue criterion");
    }

    @Test
    void missingValueNeedsNoWordOnReading() {
        assertThat(Numbers.withReading("annual_revenue", null, "no annual_revenue")).isEqualTo("no annual_revenue");
    }

    @ParameterizedTest(name = "{0} formats as {1}")
    @MethodSource("formats")
    void formatGroupsThousandsWithCommasOnEveryLocale(double value, String expected) {
        assertThat(Numbers.format(value)).isEqualTo(expected);
    }

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of(5_000_000d, "5,000,000"), Arguments.of(1_234.5d, "1,234.5"),
                Arguments.of(-12_000d, "-12,000"), Arguments.of(0.001d, "0"), Arguments.of(999d, "999"));
    }
}
