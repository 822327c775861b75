package dev.handoff.preflight;

import java.util.ArrayList;
import java.util.List;

/**
 * The checks of one system, in the order they ran. {@code unreachable} is set when the system
 * could not be reached at all (network, 5xx), as opposed to answering that something is wrong.
 */
public record PreflightReport(List<Check> checks, boolean unreachable) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return !unreachable && checks.stream().allMatch(Check::ok);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.ok()).toList();
    }

    /** Both reports, one after the other. */
    public PreflightReport and(PreflightReport other) {
        List<Check> all = new ArrayList<>(checks);
        all.addAll(other.checks());
        return new PreflightReport(all, unreachable || other.unreachable());
    }
}
