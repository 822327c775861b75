package dev.handoff.flow;

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
}
