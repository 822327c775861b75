package dev.handoff.salesforce;

import java.util.Objects;
import java.util.Set;

/**
 * A field the connector writes, the kind of value it sends and the minimum length it needs
 * (text only). {@link SalesforcePreflight} checks the org's describe against it.
 */
public record FieldRequirement(String field, Kind kind, int minLength) {

    /** What the connector sends, and which Salesforce field types accept it. */
    public enum Kind {
        TEXT(Set.of("string", "textarea", "email", "picklist", "combobox")),
        NUMBER(Set.of("double", "currency", "int", "percent")),
        DATETIME(Set.of("datetime")),
        FLAG(Set.of("boolean"));

        private final Set<String> compatibleTypes;

        Kind(Set<String> compatibleTypes) {
            this.compatibleTypes = compatibleTypes;
        }

        public Set<String> compatibleTypes() {
            return compatibleTypes;
        }

        public boolean accepts(String salesforceType) {
            return compatibleTypes.contains(salesforceType);
        }
    }

    public FieldRequirement {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(kind, "kind");
        if (minLength < 0 || (kind != Kind.TEXT && minLength != 0)) {
            throw new IllegalArgumentException("minLength applies to text only: " + field);
        }
    }

    public static FieldRequirement text(String field, int minLength) {
        return new FieldRequirement(field, Kind.TEXT, minLength);
    }

    public static FieldRequirement number(String field) {
        return new FieldRequirement(field, Kind.NUMBER, 0);
    }

    public static FieldRequirement dateTime(String field) {
        return new FieldRequirement(field, Kind.DATETIME, 0);
    }

    public static FieldRequirement flag(String field) {
        return new FieldRequirement(field, Kind.FLAG, 0);
    }
}
