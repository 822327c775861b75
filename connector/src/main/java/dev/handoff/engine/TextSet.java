package dev.handoff.engine;

import dev.handoff.definition.Condition;
import java.util.Collection;
import java.util.Set;

/**
 * The values of an {@code in}/{@code in_list} check, looked up the way {@link Condition#normalize}
 * compares (trimmed, lower-cased) without building the normalized string: an ASCII value, which is
 * nearly every industry, country and e-mail domain, is hashed and compared folding case on the fly.
 * Other values take the exact normalizing path, so both give the same answer for every input.
 */
final class TextSet {

    private final String[] table;
    private final int mask;
    private final Set<String> normalized;

    /** @param normalized values already trimmed and lower-cased by {@link Condition#normalize} */
    TextSet(Collection<String> normalized) {
        this.normalized = Set.copyOf(normalized);
        int size = Integer.highestOneBit(Math.max(4, this.normalized.size() * 4 - 1)) << 1;
        table = new String[size];
        mask = size - 1;
        for (String v : this.normalized) {
            int slot = spread(v.hashCode()) & mask;
            while (table[slot] != null) {
                slot = (slot + 1) & mask;
            }
            table[slot] = v;
        }
    }

    boolean contains(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && raw.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && raw.charAt(end - 1) <= ' ') {
            end--;
        }
        int h = 0;
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c >= 0x80) {
                return normalized.contains(Condition.normalize(raw));
            }
            h = 31 * h + lower(c);
        }
        int length = end - start;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            String v = table[slot];
            if (v == null) {
                return false;
            }
            if (v.length() == length && equalsFolded(v, raw, start)) {
                return true;
            }
        }
    }

    private static boolean equalsFolded(String normalized, String raw, int start) {
        for (int i = 0; i < normalized.length(); i++) {
            if (normalized.charAt(i) != lower(raw.charAt(start + i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
