package dev.handoff.emulator.salesforce;

/**
 * One field of an emulated sObject.
 *
 * @param writable   createable and updateable by the integration user
 * @param required   must be non-null after every write (Lead LastName/Company)
 * @param length     max characters for text fields, 0 when not applicable
 * @param externalId usable as upsert key
 */
record FieldDef(String name, FieldType type, int length, boolean writable, boolean required, boolean externalId) {

    static FieldDef readOnly(String name, FieldType type) {
        return new FieldDef(name, type, type.isText() ? 18 : 0, false, false, false);
    }

    static FieldDef text(String name, FieldType type, int length) {
        return new FieldDef(name, type, length, true, false, false);
    }

    static FieldDef value(String name, FieldType type) {
        return new FieldDef(name, type, type == FieldType.REFERENCE ? 18 : 0, true, false, false);
    }

    FieldDef asRequired() {
        return new FieldDef(name, type, length, writable, true, externalId);
    }

    FieldDef asExternalId() {
        return new FieldDef(name, type, length, writable, required, true);
    }
}
