package dev.handoff.emulator.salesforce;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.handoff.emulator.salesforce.FieldType.*;

/** Describe-like metadata of the sObject types the emulated org exposes to the integration user. */
final class SObjectSchema {

    static final SObjectSchema LEAD = new SObjectSchema("Lead", "00Q", List.of(
            FieldDef.readOnly("Id", ID),
            FieldDef.readOnly("IsDeleted", BOOLEAN),
            FieldDef.readOnly("MasterRecordId", REFERENCE),
            FieldDef.text("FirstName", STRING, 40),
            FieldDef.text("LastName", STRING, 80).asRequired(),
            FieldDef.text("Company", STRING, 255).asRequired(),
            FieldDef.text("Email", EMAIL, 80),
            FieldDef.text("Title", STRING, 128),
            FieldDef.text("Country", STRING, 80),
            FieldDef.text("Industry", PICKLIST, 255),
            FieldDef.text("Status", PICKLIST, 255).asRequired(),
            FieldDef.text("LeadSource", PICKLIST, 255),
            FieldDef.value("AnnualRevenue", CURRENCY),
            FieldDef.value("NumberOfEmployees", INT),
            FieldDef.value("OwnerId", REFERENCE),
            FieldDef.readOnly("IsConverted", BOOLEAN),
            FieldDef.readOnly("ConvertedDate", DATE),
            FieldDef.readOnly("ConvertedAccountId", REFERENCE),
            FieldDef.readOnly("ConvertedContactId", REFERENCE),
            FieldDef.readOnly("ConvertedOpportunityId", REFERENCE),
            FieldDef.readOnly("CreatedDate", DATETIME),
            FieldDef.readOnly("CreatedById", REFERENCE),
            FieldDef.readOnly("LastModifiedDate", DATETIME),
            FieldDef.readOnly("LastModifiedById", REFERENCE),
            FieldDef.readOnly("SystemModstamp", DATETIME),
            FieldDef.text("Handoff_External_Id__c", STRING, 255).asExternalId(),
            FieldDef.value("Handoff_Score__c", DOUBLE),
            FieldDef.value("Handoff_Fit_Score__c", DOUBLE),
            FieldDef.value("Handoff_Engagement_Score__c", DOUBLE),
            FieldDef.text("Handoff_Grade__c", STRING, 2),
            FieldDef.text("Handoff_Definition_Version__c", STRING, 40),
            FieldDef.text("Handoff_Explanation__c", TEXTAREA, 1000),
            FieldDef.value("Handoff_SLA_Due__c", DATETIME),
            FieldDef.value("Handoff_SLA_Breached__c", BOOLEAN),
            FieldDef.text("Reject_Reason__c", RESTRICTED_PICKLIST, 255),
            FieldDef.text("Reject_Comment__c", TEXTAREA, 1000)));

    static final SObjectSchema CONTACT = new SObjectSchema("Contact", "003", List.of(
            FieldDef.readOnly("Id", ID),
            FieldDef.readOnly("IsDeleted", BOOLEAN),
            FieldDef.readOnly("MasterRecordId", REFERENCE),
            FieldDef.value("AccountId", REFERENCE),
            FieldDef.text("FirstName", STRING, 40),
            FieldDef.text("LastName", STRING, 80).asRequired(),
            FieldDef.text("Email", EMAIL, 80),
            FieldDef.text("Title", STRING, 128),
            FieldDef.value("OwnerId", REFERENCE),
            FieldDef.readOnly("CreatedDate", DATETIME),
            FieldDef.readOnly("CreatedById", REFERENCE),
            FieldDef.readOnly("LastModifiedDate", DATETIME),
            FieldDef.readOnly("LastModifiedById", REFERENCE),
            FieldDef.readOnly("SystemModstamp", DATETIME)));

    /** Created by lead conversion; the integration user only reads them. */
    static final SObjectSchema ACCOUNT = new SObjectSchema("Account", "001", List.of(
            FieldDef.readOnly("Id", ID),
            FieldDef.readOnly("IsDeleted", BOOLEAN),
            FieldDef.text("Name", STRING, 255).asRequired(),
            FieldDef.value("OwnerId", REFERENCE),
            FieldDef.readOnly("CreatedDate", DATETIME),
            FieldDef.readOnly("CreatedById", REFERENCE),
            FieldDef.readOnly("LastModifiedDate", DATETIME),
            FieldDef.readOnly("LastModifiedById", REFERENCE),
            FieldDef.readOnly("SystemModstamp", DATETIME)));

    /** Created by lead conversion and worked by the sales reps until it closes won or lost. */
    static final SObjectSchema OPPORTUNITY = new SObjectSchema("Opportunity", "006", List.of(
            FieldDef.readOnly("Id", ID),
            FieldDef.readOnly("IsDeleted", BOOLEAN),
            FieldDef.value("AccountId", REFERENCE),
            FieldDef.text("Name", STRING, 120).asRequired(),
            FieldDef.text("StageName", PICKLIST, 255).asRequired(),
            FieldDef.readOnly("IsClosed", BOOLEAN),
            FieldDef.readOnly("IsWon", BOOLEAN),
            FieldDef.value("Amount", CURRENCY),
            FieldDef.value("CloseDate", DATE).asRequired(),
            FieldDef.value("OwnerId", REFERENCE),
            FieldDef.readOnly("CreatedDate", DATETIME),
            FieldDef.readOnly("CreatedById", REFERENCE),
            FieldDef.readOnly("LastModifiedDate", DATETIME),
            FieldDef.readOnly("LastModifiedById", REFERENCE),
            FieldDef.readOnly("SystemModstamp", DATETIME)));

    private final String name;
    private final String keyPrefix;
    private final Map<String, FieldDef> byLowerName = new LinkedHashMap<>();

    private SObjectSchema(String name, String keyPrefix, List<FieldDef> fields) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        fields.forEach(f -> byLowerName.put(f.name().toLowerCase(Locale.ROOT), f));
    }

    static Optional<SObjectSchema> forName(String type) {
        if (type == null) {
            return Optional.empty();
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "lead" -> Optional.of(LEAD);
            case "contact" -> Optional.of(CONTACT);
            case "account" -> Optional.of(ACCOUNT);
            case "opportunity" -> Optional.of(OPPORTUNITY);
            default -> Optional.empty();
        };
    }

    String name() {
        return name;
    }

    String keyPrefix() {
        return keyPrefix;
    }

    /** API names are case-insensitive on the wire and in SOQL. */
    Optional<FieldDef> field(String apiName) {
        return Optional.ofNullable(byLowerName.get(apiName.toLowerCase(Locale.ROOT)));
    }

    Collection<FieldDef> fields() {
        return byLowerName.values();
    }

    static String noSuchColumn(String field, String entity) {
        return "No such column '" + field + "' on entity '" + entity + "'. If you are attempting to use a custom field, "
                + "be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe "
                + "call for the appropriate names.";
    }
}
