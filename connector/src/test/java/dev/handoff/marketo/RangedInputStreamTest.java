package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangedInputStreamTest {

    @Test
    void readsTheWholeFileInConsecutiveBoundedRanges() throws Exception {
        byte[] file = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(100).getBytes(StandardCharsets.US_ASCII);
        List<long[]> asked = new ArrayList<>();
        try (InputStream in = new MarketoBulkExtract.RangedInputStream(file.length, 1000, (from, to) -> {
            asked.add(new long[] {from, to});
            return Arrays.copyOfRange(file, (int) from, (int) to + 1);
        })) {
            assertThat(in.readAllBytes()).isEqualTo(file);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(asked).hasSize(4);
        assertThat(asked.get(0)).containsExactly(0, 999);
        assertThat(asked.get(3)).containsExactly(3000, file.length - 1);
    }

    @Test
    void anEmptyFileAsksForNothing() throws Exception {
        try (InputStream in = new MarketoBulkExtract.RangedInputStream(0, 1000, (from, to) -> {
            throw new AssertionError("no range expected");
        })) {
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
