package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 4180 as Marketo's export files use it, read row by row. */
class BulkCsvReaderTest {

    private static List<Map<String, String>> read(String csv) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (BulkCsvReader r = new BulkCsvReader(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)))) {
            r.forEachRemaining(rows::add);
            assertThat(r.rowsRead()).isEqualTo(rows.size());
        }
        return rows;
    }

    @Test
    void quotedCommasQuotesAndLineBreaksStayInTheirField() throws Exception {
        List<Map<String, String>> rows = read("id,company,title\r\n"
                + "1,\"Acme, Inc.\",\"The \"\"Boss\"\"\"\r\n"
                + "2,\"Line one\r\nline two\",\"a\nb\"\r\n");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("company", "Acme, Inc.").containsEntry("title", "The \"Boss\"");
        assertThat(rows.get(1)).containsEntry("id", "2").containsEntry("company", "Line one\r\nline two")
                .containsEntry("title", "a\nb");
    }

    @Test
    void emptyFieldsAreEmptyStringsAndShortRowsLackColumns() throws Exception {
        List<Map<String, String>> rows = read("id,email,company\n1,,\n2,b@x.example\n3,c@x.example,C,extra\n");
        assertThat(rows.get(0)).containsEntry("email", "").containsEntry("company", "");
        assertThat(rows.get(1)).containsEntry("email", "b@x.example").doesNotContainKey("company");
        assertThat(rows.get(2)).containsOnlyKeys("id", "email", "company");
    }

    @Test
    void unicodeSurvives() throws Exception {
        List<Map<String, String>> rows = read("id,lastName,company\n1,Müller,東京 ソフト 😀\n");
        assertThat(rows.get(0)).containsEntry("lastName", "Müller").containsEntry("company", "東京 ソフト 😀");
    }

    @Test
    void headerOnlyMeansNoRows() throws Exception {
        assertThat(read("id,email\r\n")).isEmpty();
        assertThat(read("")).isEmpty();
    }

    @Test
    void anUnterminatedQuoteIsAnErrorNamingTheRow() {
        assertThatThrownBy(() -> read("id,company\n1,ok\n2,\"never closed\n"))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("row 2");
    }
}
