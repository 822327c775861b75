package dev.handoff.emulator.salesforce;

/**
 * Salesforce-shaped record ids: a 3-char key prefix, a 12-char body and the 3-char case-safe
 * suffix real orgs append, so that clients that validate or compare 15/18-char ids work unchanged.
 */
final class Ids {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /** Pod/instance part that real ids carry after the prefix; constant within one org. */
    private static final String POD = "5g00000";

    private Ids() {
    }

    static String of(String keyPrefix, long sequence) {
        StringBuilder body = new StringBuilder();
        long n = sequence;
        for (int i = 0; i < 5; i++) {
            body.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        }
        return withSuffix(keyPrefix + POD + body);
    }

    /** The suffix encodes, per 5-char chunk, which characters are upper case. */
    static String withSuffix(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("a 15-char id is needed: " + id15);
        }
        StringBuilder out = new StringBuilder(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return out.toString();
    }
}
