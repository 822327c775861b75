package dev.handoff.definition;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared qualification definition: the lead agreement marketing and sales both signed.
 * Immutable; load it with {@link DefinitionLoader#load(java.nio.file.Path)}.
 */
public record Definition(String name, int version, Map<String, String> agreedBy, LocalDate effective,
        Fit fit, Engagement engagement, MqlRule mql, Grades grades, Sla sla, Map<String, RejectReason> rejectReasons) {

    public Definition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(effective, "effective");
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(engagement, "engagement");
        Objects.requireNonNull(mql, "mql");
        Objects.requireNonNull(grades, "grades");
        Objects.requireNonNull(sla, "sla");
        // insertion order is kept so that descriptions list keys as the file does
        agreedBy = Collections.unmodifiableMap(new LinkedHashMap<>(agreedBy));
        rejectReasons = Collections.unmodifiableMap(new LinkedHashMap<>(rejectReasons));
        for (Disqualifier d : fit.disqualifiers()) {
            if (!rejectReasons.containsKey(d.reason())) {
                throw new IllegalArgumentException("disqualifier " + d.id() + " uses undefined reject reason " + d.reason());
            }
        }
    }

    /** Name and version, e.g. {@code acme-mql@v3}; recorded with every qualification decision. */
    public String label() {
        return name + "@v" + version;
    }

    public Optional<RejectReason> rejectReason(String code) {
        return Optional.ofNullable(code == null ? null : rejectReasons.get(code));
    }
}
