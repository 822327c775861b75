package dev.handoff.emulator.salesforce;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A public, read-only view of the emulated org's Lead schema for tests outside this package
 * (the Salesforce metadata check compares the shipped field definitions with it).
 */
public final class EmulatedLeadSchema {

    /** One Lead field as the emulated org describes it; {@code type} is a {@link FieldType} name. */
    public record Field(String name, String type, int length, boolean required, boolean externalId) {
    }

    private EmulatedLeadSchema() {
    }

    public static Optional<Field> field(String apiName) {
        return SObjectSchema.LEAD.field(apiName)
                .map(f -> new Field(f.name(), f.type().name(), f.length(), f.required(), f.externalId()));
    }

    public static Set<String> fieldNames() {
        return SObjectSchema.LEAD.fields().stream().map(FieldDef::name).collect(Collectors.toUnmodifiableSet());
    }
}
