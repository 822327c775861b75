package dev.handoff.emulator.salesforce;

/** The Salesforce field types the emulated objects use, grouped by how values are parsed and compared. */
enum FieldType {
    ID, REFERENCE, STRING, EMAIL, PICKLIST, RESTRICTED_PICKLIST, TEXTAREA, DOUBLE, CURRENCY, INT, DATETIME, DATE, BOOLEAN;

    boolean isText() {
        return switch (this) {
            case ID, REFERENCE, STRING, EMAIL, PICKLIST, RESTRICTED_PICKLIST, TEXTAREA -> true;
            default -> false;
        };
    }

    boolean isNumber() {
        return this == DOUBLE || this == CURRENCY || this == INT;
    }

    /** Name used in SOQL type errors, as Salesforce words them. */
    String soqlName() {
        return switch (this) {
            case DOUBLE, CURRENCY -> "double";
            case INT -> "int";
            case DATETIME -> "dateTime";
            case DATE -> "date";
            case BOOLEAN -> "boolean";
            case ID, REFERENCE -> "id";
            default -> "string";
        };
    }
}
