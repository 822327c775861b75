package dev.handoff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {

    static final String AT = "2026-11-21T12:00:00Z";

    @Test
    void exampleLeadIsExplainedInFullWithScoreGradeAndVerdict() {
        Cli r = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", Cli.LEAD, "--at", AT);

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith("Lead 1042 at 2026-11-21T12:00:00Z with acme-mql@v3: fit 63, engagement 34, grade B3, MQL\n")
                .contains("MQL (acme-mql@v3), grade B3")
                .contains("  + revenue +10: 12,000,000 ≥ 10,000,000")
                .contains("  + employees +8: 240 ≥ 100")
                .contains("  + pricing_page_visit +20: 1×")
                .contains("CRM explanation (")
                .contains("MQL (acme-mql@v3): fit 63 ≥ 40, engagement 34 ≥ 30, grade B3.");
    }

    @Test
    void jsonLastLineParsesAndItsLinePointsAddUpToTheScores() throws IOException {
        Cli r = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", Cli.LEAD, "--at", AT, "--json");

        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        assertThat(json.get("lead").asText()).isEqualTo("1042");
        assertThat(json.get("at").asText()).isEqualTo(AT);
        assertThat(json.get("mql").asBoolean()).isTrue();
        assertThat(json.get("grade").asText()).isEqualTo("B3");
        assertThat(json.get("disqualification").isNull()).isTrue();
        assertThat(json.get("missing_fields")).isEmpty();
        assertThat(json.get("short_text").asText()).startsWith("MQL (acme-mql@v3)").hasSizeLessThanOrEqualTo(1000);
        int fit = 0;
        int engagement = 0;
        for (JsonNode line : json.get("lines")) {
            if (line.get("kind").asText().equals("fit")) {
                fit += line.get("points").asInt();
            } else if (line.get("kind").asText().equals("engagement")) {
                engagement += line.get("points").asInt();
            }
        }
        assertThat(fit).isEqualTo(json.get("fit_score").asInt()).isEqualTo(63);
        assertThat(engagement).isEqualTo(json.get("engagement_score").asInt()).isEqualTo(34);
    }

    @Test
    void numbersMayBeJsonNumbersOrStringsAndNullMeansNotFilledIn(@TempDir Path dir) throws IOException {
        Path lead = dir.resolve("lead.json");
        Files.writeString(lead, """
                {"id": 7, "fields": {"email": "kim@bigco.example", "last_name": "Kim", "company": null,
                 "annual_revenue": 6.0E7, "employees": "800"},
                 "activities": [{"type": "demo_requested", "at": "2026-11-20T10:00:00+01:00"}]}
                """);

        Cli r = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", lead.toString(), "--at", AT, "--json");

        assertThat(r.code()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        assertThat(json.get("lead").asText()).isEqualTo("7");
        assertThat(json.get("fit_score").asInt()).isEqualTo(20 + 15);
        assertThat(json.get("missing_fields").get(0).asText()).isEqualTo("company");
        assertThat(json.get("lines").toString()).contains("demo_requested");
    }

    @Test
    void malformedLeadJsonExitsTwoNamingFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path lead = dir.resolve("broken.json");
        Files.writeString(lead, "{\"id\": \"1\",\n \"fields\": {\"email\": \"a@b.example\",}\n}\n");

        Cli r = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", lead.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(lead + ":2:").contains("invalid JSON").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void wrongShapeInLeadJsonExitsTwoNamingTheKey(@TempDir Path dir) throws IOException {
        Path lead = dir.resolve("shape.json");
        Files.writeString(lead, "{\"id\": \"1\", \"fields\": {},\n \"activities\": [{\"type\": \"webinar_attended\", \"at\": \"last week\"}]}");

        Cli r = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", lead.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(lead + ":2:").contains("activities[0].at: expected an ISO-8601 time");
    }

    @Test
    void missingLeadFileAndBadAtExitTwo() {
        assertThat(Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", "no-such-lead.json").code()).isEqualTo(2);

        Cli badAt = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", Cli.LEAD, "--at", "yesterday");
        assertThat(badAt.code()).isEqualTo(2);
        assertThat(badAt.err()).contains("--at").contains("yesterday");
    }

    @Test
    void invalidDefinitionExitsTwoNamingTheFile(@TempDir Path dir) throws IOException {
        Path definition = dir.resolve("broken.yaml");
        Files.writeString(definition, "definition: x\nversion: zero\n");

        Cli r = Cli.run("explain", "--definition", definition.toString(), "--lead", Cli.LEAD);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(definition + ":2:");
    }

    @Test
    void explanationShownInTheDefinitionDocsIsWhatExplainPrints() throws IOException {
        String docs = Files.readString(Path.of("../docs/definition.md"));
        Cli r = Cli.run("explain", "--definition", Cli.DEFINITION, "--lead", Cli.LEAD, "--at", AT);

        String full = r.out().substring(0, r.out().indexOf("CRM explanation"));
        assertThat(docs).contains(full);
    }
}
