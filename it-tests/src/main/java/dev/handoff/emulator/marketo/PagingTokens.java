package dev.handoff.emulator.marketo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Paging tokens in Marketo's style: RFC 4648 base32 text without padding. A real date-based token
 * decodes to a date and an offset; ours carries a log position the same way, so a token stored by a
 * client stays valid for as long as the emulator runs and points at the same place in the log.
 */
final class PagingTokens {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String LEAD_PREFIX = "lead:";

    private PagingTokens() {
    }

    static String activityToken(Activity.Position position) {
        return encode(position.date() + "," + position.id());
    }

    static Optional<Activity.Position> parseActivityToken(String token) {
        return decode(token).flatMap(text -> {
            int comma = text.lastIndexOf(',');
            if (comma < 0 || text.startsWith(LEAD_PREFIX)) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Activity.Position(Instant.parse(text.substring(0, comma)),
                        Long.parseLong(text.substring(comma + 1))));
            } catch (DateTimeParseException | NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    static String leadToken(int lastLeadId) {
        return encode(LEAD_PREFIX + lastLeadId);
    }

    static Optional<Integer> parseLeadToken(String token) {
        return decode(token).filter(t -> t.startsWith(LEAD_PREFIX)).flatMap(t -> {
            try {
                return Optional.of(Integer.parseInt(t.substring(LEAD_PREFIX.length())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    static Optional<String> decode(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : token.replace("=", "").toCharArray()) {
            int v = ALPHABET.indexOf(c);
            if (v < 0) {
                return Optional.empty();
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
