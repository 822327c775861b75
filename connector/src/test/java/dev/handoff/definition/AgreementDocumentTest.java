package dev.handoff.definition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgreementDocumentTest {

    static final Definition SHIPPED = Definitions.shipped();

    @Test
    void markdownNamesEveryCriterionDisqualifierActivityAndReasonOfTheShippedAgreement() {
        String md = AgreementDocument.markdown(SHIPPED);

        for (Criterion c : SHIPPED.fit().criteria()) {
            assertThat(md).contains("`" + c.id() + "`");
        }
        for (Disqualifier q : SHIPPED.fit().disqualifiers()) {
            assertThat(md).contains("`" + q.id() + "`");
        }
        for (ActivityRule r : SHIPPED.engagement().activities()) {
            assertThat(md).contains("`" + r.type() + "`");
        }
        for (String code : SHIPPED.rejectReasons().keySet()) {
            assertThat(md).contains("`" + code + "`");
        }
        assertThat(md).startsWith("# Lead agreement: acme-mql, version 3\n")
                .contains("In effect from 1 November 2026")
                .contains("A lead goes to sales when its fit score is at least 40 and its engagement score at least 30, "
                        + "and its email, company and last name are filled in.");
    }

    @Test
    void criteriaAreDescribedInPlainWords() {
        String md = AgreementDocument.markdown(SHIPPED);

        assertThat(md)
                .contains("| `revenue` | annual revenue of at least 50,000,000 → 20 points, at least 10,000,000 → 10 | up to 20 |")
                .contains("| `industry` | industry is Software, Financial Services or Manufacturing | +10 |")
                .contains("title mentions the words director, vp, vice president, head of or chief")
                .contains("title mentions finance, marketing or sales")
                .contains("email domain is in the list personal_domains");
    }

    @Test
    void engagementExplainsDecayCapsAndNegativePoints() {
        String md = AgreementDocument.markdown(SHIPPED);

        assertThat(md).contains("points halve every 30 days")
                .contains("| `content_download` | +10 | only the 3 most recent, within the last 90 days |")
                .contains("| `unsubscribed` | -50 | every one |")
                .contains("Negative points (unsubscribed) subtract from the score.");
    }

    @Test
    void gradeMatrixSlaAndReasonActionsAreSpelledOut() {
        String md = AgreementDocument.markdown(SHIPPED);

        assertThat(md).contains("| A: ≥ 70 | A1 | A2 | A3 | A4 |")
                .contains("| D: \\< 30 | D1 | D2 | D3 | D4 |")
                .contains("sales accepts or rejects every lead within 24 hours of handoff")
                .contains("marketing delivers 400 to 700 sales-ready leads per month")
                .contains("at least 25% of them are converted within 90 days of handoff")
                .contains("sales fills in status and reject reason")
                .contains("| `NOT_INTERESTED` | back to marketing nurture, may return to sales after 90 days | optional |")
                .contains("| `OTHER` | back to marketing nurture, may return to sales after 30 days | required |")
                .contains("| `personal-email` | email domain is in the list personal_domains (38 entries) | `WRONG_CONTACT` |");
    }

    @Test
    void bothRenderingsCarrySignatureLinesForEverySignatory() {
        assertThat(AgreementDocument.markdown(SHIPPED))
                .contains("| marketing | VP Marketing | ______________________ | ____________ |")
                .contains("| sales | VP Sales | ______________________ | ____________ |");
        assertThat(AgreementDocument.html(SHIPPED))
                .contains("<div class=\"sig\">VP Marketing, for marketing<br>Signature and date</div>");
    }

    @Test
    void htmlIsSelfContainedAndPrintable() {
        String html = AgreementDocument.html(SHIPPED);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").contains("@page").contains("@media print")
                .doesNotContain("<script").doesNotContain("<link").doesNotContain("src=").doesNotContain("http://")
                .doesNotContain("https://");
    }

    @Test
    void markupInCriterionValuesIsEscapedInBothRenderings(@TempDir Path dir) {
        Definition hostile = Definitions.edited(dir, "hostile.yaml", yaml -> Definitions.replace(yaml,
                "in: [Software, Financial Services, Manufacturing]",
                "in: [\"<script>alert('x')</script>\", \"A & B | C\", Software]"));

        String html = AgreementDocument.html(hostile);
        String md = AgreementDocument.markdown(hostile);

        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("A &amp; B | C");
        assertThat(md).doesNotContainPattern("(?<!\\\\)<script").contains("\\<script\\>").contains("A \\& B \\| C");
    }

    @Test
    void compositeCriteriaReadAsAllOfAndAnyOf() {
        Definition composite = DefinitionLoader.load(java.nio.file.Path.of("src/test/resources/definitions/composite/qualification.yaml"));
        String md = AgreementDocument.of(composite).markdown();
        assertThat(md).contains("all of: employees of at least 1,000; and title")
                .contains("any of: ")
                .doesNotContain("Condition$");
    }

    @Test
    void renderingTheSameDefinitionTwiceGivesTheSameBytes() {
        Definition again = Definitions.shipped();

        assertThat(AgreementDocument.markdown(again)).isEqualTo(AgreementDocument.markdown(SHIPPED));
        assertThat(AgreementDocument.html(again)).isEqualTo(AgreementDocument.html(SHIPPED));
    }

    @Test
    void shippedAgreementStaysShortEnoughForOnePrintedPage() {
        // one A4 page at the stylesheet's 9.5pt holds about 60 body lines: every table row, heading,
        // paragraph line and list item counts as one line, wrapped prose at about 130 characters a line
        long lines = 0;
        for (String line : AgreementDocument.markdown(SHIPPED).split("\n")) {
            if (!line.isBlank() && !line.startsWith("|---")) {
                lines += 1 + line.length() / 130;
            }
        }
        assertThat(lines).isLessThanOrEqualTo(60);
    }
}
