package dev.handoff.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadFieldFitterTest {

    private static final SObjectDescription LEAD = new SObjectDescription("Lead", List.of(
            text("LastName", "string", 80),
            text("Email", "email", 80),
            text("Handoff_Grade__c", "string", 2),
            text("Handoff_Explanation__c", "textarea", 1000),
            picklist("Industry", false, List.of("Software", "Manufacturing")),
            picklist("Reject_Reason__c", true, List.of("NOT_RIGHT_FIT", "NO_BUDGET")),
            new SObjectDescription.Field("Interests__c", "multipicklist", 4099, true, true, true, false, false, false,
                    List.of("A", "B"), true),
            new SObjectDescription.Field("Handoff_Score__c", "double", 0, true, true, true, false, false, false, List.of(),
                    false)));

    private final LeadFieldFitter fitter = new LeadFieldFitter(LEAD);

    @Test
    void valuesWithinTheirLengthsPassUnchanged() {
        Map<String, Object> in = fields("LastName", "Lovelace", "Handoff_Grade__c", "A1", "Handoff_Score__c", 42.0);

        LeadFieldFitter.Fitted fitted = fitter.fit(in);

        assertThat(fitted.sendable()).isTrue();
        assertThat(fitted.truncated()).isEmpty();
        assertThat(fitted.fields()).containsExactlyEntriesOf(in);
    }

    @Test
    void textLongerThanItsFieldIsCutToTheDescribedLengthAndReported() {
        LeadFieldFitter.Fitted fitted = fitter.fit(fields("Handoff_Explanation__c", "e".repeat(1200),
                "Handoff_Grade__c", "A1+", "LastName", "Lovelace"));

        assertThat(fitted.sendable()).isTrue();
        assertThat(fitted.fields().get("Handoff_Explanation__c")).isEqualTo("e".repeat(1000));
        assertThat(fitted.fields().get("Handoff_Grade__c")).isEqualTo("A1");
        assertThat(fitted.truncated()).containsExactly(
                new LeadFieldFitter.Truncation("Handoff_Explanation__c", 1200, 1000),
                new LeadFieldFitter.Truncation("Handoff_Grade__c", 3, 2));
        assertThat(fitted.fields().keySet()).as("input order kept")
                .containsExactly("Handoff_Explanation__c", "Handoff_Grade__c", "LastName");
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        String grade = "A\uD83D\uDE00";

        LeadFieldFitter.Fitted fitted = fitter.fit(fields("Handoff_Grade__c", grade));

        assertThat(fitted.fields().get("Handoff_Grade__c")).isEqualTo("A");
        assertThat(fitted.truncated()).containsExactly(new LeadFieldFitter.Truncation("Handoff_Grade__c", 3, 1));
    }

    @Test
    void overlongEmailIsAProblemRatherThanACutAddress() {
        LeadFieldFitter.Fitted fitted = fitter.fit(fields("Email", "a".repeat(90) + "@example.com"));

        assertThat(fitted.sendable()).isFalse();
        assertThat(fitted.problems()).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(LeadFieldFitter.FIELD_TOO_LONG);
            assertThat(p.field()).isEqualTo("Email");
            assertThat(p.value()).as("no address in the problem").isNull();
            assertThat(p.message()).contains("102 characters").contains("80");
        });
    }

    @Test
    void valueTheRestrictedPicklistLacksIsAnInvalidPicklistValueNamingFieldAndValue() {
        LeadFieldFitter.Fitted fitted = fitter.fit(fields("Reject_Reason__c", "TOO_EXPENSIVE"));

        assertThat(fitted.sendable()).isFalse();
        assertThat(fitted.firstProblem()).hasValueSatisfying(p -> {
            assertThat(p.code()).isEqualTo("INVALID_PICKLIST_VALUE");
            assertThat(p.field()).isEqualTo("Reject_Reason__c");
            assertThat(p.value()).isEqualTo("TOO_EXPENSIVE");
            assertThat(p.message()).contains("Reject_Reason__c").contains("TOO_EXPENSIVE");
        });
    }

    @Test
    void restrictedPicklistValuesAreCaseSensitive() {
        assertThat(fitter.fit(fields("Reject_Reason__c", "no_budget")).sendable()).isFalse();
        assertThat(fitter.fit(fields("Reject_Reason__c", "NO_BUDGET")).sendable()).isTrue();
    }

    @Test
    void unrestrictedPicklistTakesAnyValue() {
        LeadFieldFitter.Fitted fitted = fitter.fit(fields("Industry", "Space Mining"));

        assertThat(fitted.sendable()).isTrue();
        assertThat(fitted.fields()).containsEntry("Industry", "Space Mining");
    }

    @Test
    void multiSelectPicklistNeedsEveryPartToBeAValue() {
        assertThat(fitter.fit(fields("Interests__c", "A;B")).sendable()).isTrue();
        assertThat(fitter.fit(fields("Interests__c", "A;C")).problems()).singleElement()
                .satisfies(p -> assertThat(p.value()).isEqualTo("A;C"));
    }

    @Test
    void everyProblemOfALeadIsReported() {
        LeadFieldFitter.Fitted fitted = fitter.fit(fields("Reject_Reason__c", "X", "Email", "e".repeat(81)));

        assertThat(fitted.problems()).extracting(LeadFieldFitter.Problem::field)
                .containsExactly("Reject_Reason__c", "Email");
    }

    @Test
    void fieldsDescribeDoesNotKnowAndNonTextValuesPassThrough() {
        Map<String, Object> in = fields("Unknown__c", "x".repeat(5000), "Handoff_Score__c", 12.5, "LastName", null);

        LeadFieldFitter.Fitted fitted = fitter.fit(in);

        assertThat(fitted.sendable()).isTrue();
        assertThat(fitted.fields()).containsExactlyEntriesOf(in);
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAsInSalesforce() {
        LeadFieldFitter.Fitted fitted = fitter.fit(fields("handoff_grade__c", "B22"));

        assertThat(fitted.fields()).containsEntry("handoff_grade__c", "B2");
        assertThat(fitted.truncated()).extracting(LeadFieldFitter.Truncation::field).containsExactly("Handoff_Grade__c");
    }

    private static SObjectDescription.Field text(String name, String type, int length) {
        return new SObjectDescription.Field(name, type, length, true, true, true, false, false, false, List.of(), false);
    }

    private static SObjectDescription.Field picklist(String name, boolean restricted, List<String> values) {
        return new SObjectDescription.Field(name, "picklist", 255, true, true, true, false, false, false, values, restricted);
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
