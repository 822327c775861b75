package dev.handoff.emulator.salesforce;

import static dev.handoff.emulator.salesforce.SalesforceHarness.EXT;
import static dev.handoff.emulator.salesforce.SalesforceHarness.lead;
import static org.assertj.core.api.Assertions.assertThat;

import com.sforce.soap.partner.UpsertResult;
import com.sforce.soap.partner.sobject.SObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SalesforcePicklistIT {

    private static final List<String> WITHOUT_NO_BUDGET = List.of("NOT_RIGHT_FIT", "NOT_RIGHT_SIZE", "WRONG_CONTACT",
            "NOT_INTERESTED", "DUPLICATE", "OTHER");

    @Test
    void valueMissingFromTheOrgsRejectReasonPicklistIsRefusedPerRecord() throws Exception {
        SalesforceEmulator.Settings org = SalesforceEmulator.Settings.defaults().withRejectReasons(WITHOUT_NO_BUDGET);
        try (SalesforceHarness sf = new SalesforceHarness(org)) {
            SObject missing = lead("p-1", "Budget", "Acme", null);
            missing.setField("Reject_Reason__c", "NO_BUDGET");
            SObject present = lead("p-2", "Fit", "Acme", null);
            present.setField("Reject_Reason__c", "NOT_RIGHT_FIT");

            UpsertResult[] r = sf.connect().upsert(EXT, new SObject[]{missing, present});

            assertThat(r[0].getSuccess()).isFalse();
            assertThat(r[0].getErrors()[0].getStatusCode().name()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
            assertThat(r[0].getErrors()[0].getFields()).containsExactly("Reject_Reason__c");
            assertThat(r[0].getErrors()[0].getMessage())
                    .isEqualTo("Reject_Reason__c: bad value for restricted picklist field: NO_BUDGET");
            assertThat(r[1].getSuccess()).isTrue();
            assertThat(sf.emulator.leads()).extracting(m -> m.get("external_id")).containsExactly("p-2");
        }
    }

    @Test
    void repsNeverPickAReasonTheOrgsPicklistLacks() throws Exception {
        SalesforceEmulator.Settings org = SalesforceEmulator.Settings.defaults().withRejectReasons(WITHOUT_NO_BUDGET);
        try (SalesforceHarness sf = new SalesforceHarness(org)) {
            SObject[] batch = IntStream.range(0, 150).mapToObj(i -> {
                SObject s = lead("r-" + i, "L" + i, "Acme", null);
                s.setField("Handoff_Grade__c", i % 2 == 0 ? "B2" : "D4");
                return s;
            }).toArray(SObject[]::new);
            sf.connect().upsert(EXT, batch);

            sf.clock.advance(Duration.ofHours(6));

            List<Object> reasons = sf.emulator.leads().stream().map((Map<String, Object> m) -> m.get("reject_reason"))
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(reasons).isNotEmpty().allMatch(WITHOUT_NO_BUDGET::contains).doesNotContain("NO_BUDGET");
        }
    }
}
