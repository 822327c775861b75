package dev.handoff.emulator.salesforce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code describeSObject} / {@code describeSObjects} for the emulated org, from {@link SObjectSchema}.
 * WSC reads {@code DescribeSObjectResult}, {@code Field} and {@code PicklistEntry} member by member
 * in WSDL sequence order and refuses a missing required member, so every element with
 * {@code minOccurs=1} is written, in the order of the generated classes' {@code loadFields1}.
 */
final class SObjectDescriber {

    static final int MAX_OBJECTS_PER_CALL = 100;

    private static final List<String> LEAD_STATUSES_BEFORE = List.of("Open - Not Contacted");
    private static final List<String> INDUSTRIES = List.of("Agriculture", "Banking", "Education", "Financial Services",
            "Healthcare", "Manufacturing", "Retail", "Software", "Technology", "Other");
    private static final List<String> LEAD_SOURCES = List.of("Advertisement", "Marketing", "Partner", "Web", "Other");
    private static final String DEFAULT_STATUS = "Open - Not Contacted";
    private static final Map<String, List<String>> REFERENCE_TO = Map.of(
            "MasterRecordId", List.of(), "OwnerId", List.of("Group", "User"), "CreatedById", List.of("User"),
            "LastModifiedById", List.of("User"), "ConvertedAccountId", List.of("Account"),
            "ConvertedContactId", List.of("Contact"), "ConvertedOpportunityId", List.of("Opportunity"),
            "AccountId", List.of("Account"));
    private static final List<String> SYSTEM_FIELDS = List.of("Id", "IsDeleted", "CreatedDate", "CreatedById",
            "LastModifiedDate", "LastModifiedById", "SystemModstamp");

    private final SalesforceEmulator.Settings settings;

    SObjectDescriber(SalesforceEmulator.Settings settings) {
        this.settings = settings;
    }

    String describeSObject(String type) {
        XmlOut x = new XmlOut().open("describeSObjectResponse");
        result(x, schema(type));
        return x.close("describeSObjectResponse").toString();
    }

    String describeSObjects(List<String> types) {
        if (types.size() > MAX_OBJECTS_PER_CALL) {
            throw SoapFault.unexpected("EXCEEDED_MAX_TYPES_LIMIT",
                    "Number of entity types exceeds the maximum of " + MAX_OBJECTS_PER_CALL);
        }
        List<SObjectSchema> schemas = new ArrayList<>();
        for (String t : types) {
            schemas.add(schema(t));
        }
        XmlOut x = new XmlOut().open("describeSObjectsResponse");
        schemas.forEach(s -> result(x, s));
        return x.close("describeSObjectsResponse").toString();
    }

    private static SObjectSchema schema(String type) {
        return SObjectSchema.forName(type).orElseThrow(() -> SoapFault.invalidSObject(
                "sObject type '" + type + "' is not supported. If you are attempting to use a custom object, be sure "
                        + "to append the '__c' after the entity name. Please reference your WSDL or the describe call "
                        + "for the appropriate names.", 0, 0));
    }

    private void result(XmlOut x, SObjectSchema s) {
        String name = s.name();
        x.open("result")
                .leaf("activateable", false)
                .nil("associateEntityType")
                .nil("associateParentEntity")
                .leaf("compactLayoutable", true)
                .leaf("createable", true)
                .leaf("custom", false)
                .leaf("customSetting", false)
                .leaf("dataTranslationEnabled", false)
                .leaf("deepCloneable", false)
                .nil("defaultImplementation")
                .leaf("deletable", true)
                .leaf("deprecatedAndHidden", false)
                .leaf("feedEnabled", false);
        for (FieldDef f : s.fields()) {
            field(x, s, f);
        }
        x.leaf("hasSubtypes", false)
                .leaf("idEnabled", true)
                .nil("implementedBy")
                .nil("implementsInterfaces")
                .leaf("isInterface", false)
                .leaf("isSubtype", false)
                .leaf("keyPrefix", s.keyPrefix())
                .leaf("label", name)
                .leaf("labelPlural", name + "s")
                .leaf("layoutable", true)
                .leaf("listviewable", true)
                .leaf("lookupLayoutable", true)
                .leaf("mergeable", true)
                .leaf("mruEnabled", true)
                .leaf("name", name)
                .nil("networkScopeFieldName")
                .leaf("queryable", true)
                .leaf("replicateable", true)
                .leaf("retrieveable", true)
                .leaf("searchLayoutable", true)
                .leaf("searchable", true)
                .leaf("triggerable", true)
                .leaf("undeletable", true)
                .leaf("updateable", true)
                .leaf("urlDetail", "/{ID}")
                .leaf("urlEdit", "/{ID}/e")
                .leaf("urlNew", "/" + s.keyPrefix() + "/e")
                .close("result");
    }

    private void field(XmlOut x, SObjectSchema s, FieldDef f) {
        String name = f.name();
        FieldType t = f.type();
        boolean custom = name.endsWith("__c");
        boolean id = t == FieldType.ID;
        boolean system = SYSTEM_FIELDS.contains(name);
        boolean owner = name.equals("OwnerId");
        boolean status = name.equals("Status") && s == SObjectSchema.LEAD;
        boolean nillable = !(f.required() || id || t == FieldType.BOOLEAN || system || owner || status);
        boolean text = isString(t);
        int length = text ? f.length() : 0;
        boolean isDouble = t == FieldType.DOUBLE || t == FieldType.CURRENCY;
        boolean idLookup = id || f.externalId() || (name.equals("Email") && s == SObjectSchema.LEAD);
        List<String> picklist = picklistValues(s, name, t);
        x.open("fields")
                .leaf("aggregatable", t != FieldType.TEXTAREA)
                .leaf("aiPredictionField", false)
                .leaf("autoNumber", false)
                .leaf("byteLength", length * 3)
                .leaf("calculated", false)
                .leaf("cascadeDelete", false)
                .leaf("caseSensitive", false)
                .leaf("createable", f.writable())
                .leaf("custom", custom)
                .leaf("defaultedOnCreate", system || owner || status || t == FieldType.BOOLEAN)
                .leaf("deprecatedAndHidden", false)
                .leaf("digits", t == FieldType.INT ? 9 : 0)
                .leaf("externalId", f.externalId())
                .leaf("filterable", t != FieldType.TEXTAREA)
                .leaf("groupable", t != FieldType.TEXTAREA && !isDouble && t != FieldType.DATETIME)
                .leaf("idLookup", idLookup)
                .leaf("label", label(name))
                .leaf("length", length)
                .leaf("name", name)
                .leaf("nameField", false)
                .leaf("nillable", nillable)
                .leaf("permissionable", nillable && !system && !f.required() && !f.externalId());
        for (int i = 0; i < picklist.size(); i++) {
            String v = picklist.get(i);
            boolean isDefault = status && v.equals(DEFAULT_STATUS);
            x.open("picklistValues").leaf("active", true).leaf("defaultValue", isDefault).leaf("label", v)
                    .leaf("value", v).close("picklistValues");
        }
        x.leaf("polymorphicForeignKey", owner)
                .leaf("precision", isDouble ? 18 : 0)
                .leaf("queryByDistance", false);
        for (String target : t == FieldType.REFERENCE ? REFERENCE_TO.getOrDefault(name, List.of(s.name())) : List.<String>of()) {
            x.leaf("referenceTo", target);
        }
        if (t == FieldType.REFERENCE && name.endsWith("Id")) {
            x.leaf("relationshipName", name.substring(0, name.length() - 2));
        }
        x.leaf("restrictedPicklist", t == FieldType.RESTRICTED_PICKLIST)
                .leaf("scale", isDouble ? 2 : 0)
                .leaf("searchPrefilterable", false)
                .leaf("soapType", soapType(t))
                .leaf("sortable", t != FieldType.TEXTAREA)
                .leaf("type", fieldType(t))
                .leaf("unique", f.externalId())
                .leaf("updateable", f.writable())
                .close("fields");
    }

    private List<String> picklistValues(SObjectSchema s, String name, FieldType t) {
        if (t != FieldType.PICKLIST && t != FieldType.RESTRICTED_PICKLIST) {
            return List.of();
        }
        return switch (name) {
            case "Status" -> {
                List<String> v = new ArrayList<>(LEAD_STATUSES_BEFORE);
                for (String st : List.of(settings.acceptedStatus(), settings.rejectedStatus(), "Closed - Converted")) {
                    if (!v.contains(st)) {
                        v.add(st);
                    }
                }
                yield v;
            }
            case "Reject_Reason__c" -> settings.rejectReasons();
            case "Industry" -> INDUSTRIES;
            case "LeadSource" -> LEAD_SOURCES;
            default -> List.of();
        };
    }

    private static boolean isString(FieldType t) {
        return switch (t) {
            case ID, REFERENCE, STRING, EMAIL, PICKLIST, RESTRICTED_PICKLIST, TEXTAREA -> true;
            default -> false;
        };
    }

    static String fieldType(FieldType t) {
        return switch (t) {
            case ID -> "id";
            case REFERENCE -> "reference";
            case STRING -> "string";
            case EMAIL -> "email";
            case PICKLIST, RESTRICTED_PICKLIST -> "picklist";
            case TEXTAREA -> "textarea";
            case DOUBLE -> "double";
            case CURRENCY -> "currency";
            case INT -> "int";
            case DATETIME -> "datetime";
            case DATE -> "date";
            case BOOLEAN -> "boolean";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    static String soapType(FieldType t) {
        return switch (t) {
            case ID, REFERENCE -> "tns:ID";
            case DOUBLE, CURRENCY -> "xsd:double";
            case INT -> "xsd:int";
            case DATETIME -> "xsd:dateTime";
            case DATE -> "xsd:date";
            case BOOLEAN -> "xsd:boolean";
            default -> "xsd:string";
        };
    }

    /** {@code Handoff_Explanation__c} → "Handoff Explanation", {@code AnnualRevenue} → "Annual Revenue". */
    private static String label(String apiName) {
        String base = apiName.endsWith("__c") ? apiName.substring(0, apiName.length() - 3) : apiName;
        if (base.equals("Id")) {
            return "Record ID";
        }
        if (base.endsWith("Id") && base.length() > 2) {
            base = base.substring(0, base.length() - 2) + " ID";
        }
        return base.replace('_', ' ').replaceAll("(?<=[a-z])(?=[A-Z])", " ");
    }
}
