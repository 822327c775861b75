package dev.handoff.preflight;

import java.util.Objects;

/**
 * One line of {@code handoff check}: what was checked, what was found and, when it failed, how to
 * fix it. A check that passed but carries a hint was <em>not checked</em>: an optional part is
 * unavailable (e.g. Opportunity for outcomes), which is not a configuration error.
 */
public record Check(boolean ok, String what, String detail, String hint) {

    public Check {
        Objects.requireNonNull(what, "what");
        detail = detail == null ? "" : detail;
        if (!ok && (hint == null || hint.isBlank())) {
            throw new IllegalArgumentException("a failed check needs a fix hint: " + what);
        }
    }

    public static Check pass(String what, String detail) {
        return new Check(true, what, detail, null);
    }

    public static Check fail(String what, String detail, String hint) {
        return new Check(false, what, detail, hint);
    }

    /** An optional part that is not available; does not fail the preflight. */
    public static Check notChecked(String what, String detail, String hint) {
        return new Check(true, what, detail, Objects.requireNonNull(hint, "hint"));
    }

    public boolean isNotChecked() {
        return ok && hint != null;
    }

    /** {@code ✔ what — detail}, {@code ✘ what — detail; fix: hint} or {@code – what — detail (not checked); to enable: hint}. */
    public String line() {
        String text = what + (detail.isEmpty() ? "" : " — " + detail);
        if (isNotChecked()) {
            return "– " + text + " (not checked); to enable: " + hint;
        }
        return ok ? "✔ " + text : "✘ " + text + "; fix: " + hint;
    }
}
