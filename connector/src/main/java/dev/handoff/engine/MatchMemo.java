package dev.handoff.engine;

/**
 * Remembers the last regex results of one {@code matches} check. Lead titles repeat ("VP Sales",
 * "Marketing Manager"), and a case-insensitive regex find is the most expensive step of an
 * evaluation, so a small direct-mapped table answers most leads with one hash and one equals.
 * Entries are immutable and replace each other whole, so racing threads at worst recompute; the
 * answer is always what the regex gives. Long values are not remembered, to bound memory.
 */
final class MatchMemo {

    private static final int SLOTS = 1024;
    static final int MAX_REMEMBERED_LENGTH = 200;

    private record Entry(String value, boolean found) {
    }

    private final CompiledCheck check;
    private final Entry[] entries = new Entry[SLOTS];

    MatchMemo(CompiledCheck check) {
        this.check = check;
    }

    boolean test(String value) {
        if (value == null || value.length() > MAX_REMEMBERED_LENGTH) {
            return check.test(value);
        }
        int h = value.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry e = entries[slot];
        if (e != null && e.value.equals(value)) {
            return e.found;
        }
        boolean found = check.test(value);
        entries[slot] = new Entry(value, found);
        return found;
    }
}
