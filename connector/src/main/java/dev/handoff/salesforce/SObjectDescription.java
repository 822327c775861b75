package dev.handoff.salesforce;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code describeSObject} says about one sObject type, reduced to what the connector needs:
 * per field its type, length, whether the integration user may create/update it, whether it is an
 * external id, and its picklist. Immutable; field names are looked up case-insensitively, as
 * Salesforce treats them.
 */
public final class SObjectDescription {

    /**
     * One field.
     *
     * @param type           Salesforce's field type as describe names it: {@code string}, {@code textarea},
     *                       {@code picklist}, {@code double}, {@code datetime}, ...
     * @param length         maximum characters for text types, 0 otherwise
     * @param picklistValues the active picklist values, in describe order; empty for other types
     */
    public record Field(String name, String type, int length, boolean createable, boolean updateable,
            boolean nillable, boolean externalId, boolean unique, boolean idLookup, List<String> picklistValues,
            boolean restrictedPicklist) {

        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            picklistValues = List.copyOf(picklistValues);
        }

        public boolean isPicklist() {
            return "picklist".equals(type) || "multipicklist".equals(type);
        }
    }

    private final String name;
    private final Map<String, Field> byLowerName;

    public SObjectDescription(String name, List<Field> fields) {
        this.name = Objects.requireNonNull(name, "name");
        Map<String, Field> m = new LinkedHashMap<>();
        for (Field f : fields) {
            m.put(f.name().toLowerCase(Locale.ROOT), f);
        }
        this.byLowerName = java.util.Collections.unmodifiableMap(m);
    }

    public String name() {
        return name;
    }

    public Optional<Field> field(String apiName) {
        return Optional.ofNullable(apiName == null ? null : byLowerName.get(apiName.toLowerCase(Locale.ROOT)));
    }

    /** In describe order. */
    public Collection<Field> fields() {
        return byLowerName.values();
    }

    @Override
    public String toString() {
        return "SObjectDescription[" + name + ", " + byLowerName.size() + " fields]";
    }
}
