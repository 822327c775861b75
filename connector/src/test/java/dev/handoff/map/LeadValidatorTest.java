package dev.handoff.map;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadValidatorTest {

    private final LeadValidator validator = new LeadValidator();

    @Test
    void wellFormedLeadPasses() {
        assertThat(validator.check(Map.of("email", "ana.ruiz@globex.example", "last_name", "Ruiz", "company", "Globex")))
                .isEmpty();
    }

    @Test
    void missingEmailIsRefused() {
        assertThat(validator.check(Map.of("last_name", "Ruiz"))).get().extracting(LeadValidator.Problem::code)
                .isEqualTo("MISSING_EMAIL");
    }

    @Test
    void invalidEmailsAreRefused() {
        for (String bad : new String[] {"jane.doe@", "no-at-sign.example", "a@b", "x y@z.example", "a@@b.example"}) {
            assertThat(validator.check(Map.of("email", bad))).as(bad).get()
                    .extracting(LeadValidator.Problem::code).isEqualTo("INVALID_EMAIL");
        }
    }

    @Test
    void oversizedFieldIsNamedWithItsLimit() {
        var problem = validator.check(Map.of("email", "a@b.example", "title", "x".repeat(2000))).orElseThrow();
        assertThat(problem.code()).isEqualTo("FIELD_TOO_LONG");
        assertThat(problem.message()).isEqualTo("title is 2000 characters; Salesforce allows 128");
    }

    @Test
    void controlCharacterIsNamedWithPosition() {
        var problem = validator.check(Map.of("email", "a@b.example", "company", "Acme\u0007 Inc")).orElseThrow();
        assertThat(problem.code()).isEqualTo("CONTROL_CHARACTER");
        assertThat(problem.message()).isEqualTo("company contains control character U+0007 at position 5");
    }

    @Test
    void unicodeNamesAreFine() {
        assertThat(validator.check(Map.of("email", "j@b.example", "last_name", "Müller-Łukasiewicz 李", "company", "שלום 🚀")))
                .isEmpty();
    }

    @Test
    void spreadsheetFormulaPrefixesAreRefusedNamingTheFieldButNotTheValue() {
        Map<String, String> cases = Map.of("=cmd|' /C calc'!A0", "'='", "@SUM(1+1)*cmd|' /C calc'!A0", "'@'",
                "+HYPERLINK(\"http://evil.example\")", "'+'", "-2+3+cmd|' /C calc'!A0", "'-'", "  =1+1", "'='",
                "\t=1+1", "a tab", "\r=1+1", "a carriage return");
        cases.forEach((value, trigger) -> {
            var problem = validator.check(Map.of("email", "a@b.example", "company", value)).orElseThrow();
            assertThat(problem.code()).as(value).isEqualTo("FORMULA_PREFIX");
            assertThat(problem.message()).isEqualTo("company starts with " + trigger + ", which spreadsheets run as a formula")
                    .doesNotContain("cmd", "SUM", "HYPERLINK");
        });
    }

    @Test
    void signsInsideTextAndSignedNumbersAreNotFormulas() {
        assertThat(validator.check(Map.of("email", "a@b.example", "company", "AT&T = Telco", "title", "VP - Sales",
                "last_name", "-5", "first_name", "+1.5"))).isEmpty();
    }
}
