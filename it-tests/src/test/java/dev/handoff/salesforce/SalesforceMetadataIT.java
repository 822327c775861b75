package dev.handoff.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.config.Settings;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.emulator.salesforce.EmulatedLeadSchema;
import dev.handoff.flow.SalesforceLeadWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Salesforce metadata admins deploy ({@code config/salesforce}) against the code that uses it:
 * the fields the connector writes and reads, the emulated org's schema, the qualification
 * definition's reject reasons and the connector's default settings. Runs with the repository root
 * as working directory.
 */
class SalesforceMetadataIT {

    private static final String METADATA_NS = "http://soap.sforce.com/2006/04/metadata";
    private static final Path PROJECT = Path.of("config/salesforce");
    private static final Path SOURCE = PROJECT.resolve("force-app/main/default");
    private static final Path LEAD = SOURCE.resolve("objects/Lead");
    private static final Path PERMISSION_SETS = SOURCE.resolve("permissionsets");
    private static final Path VALIDATION_RULE =
            LEAD.resolve("validationRules/Handoff_Reject_Reason_Required.validationRule-meta.xml");

    /** Compound fields carry the field-level security of their parts; the emulated org knows only the parts. */
    private static final Map<String, List<String>> COMPOUND_FIELDS = Map.of("Address", List.of("Country"));

    /** The connector's defaults: only the keys without a default are given. */
    private static final SalesforceConfig DEFAULTS = SalesforceConfig.from(new Settings(Map.of(
            "handoff.salesforce.token-url", "https://example.my.salesforce.com",
            "handoff.salesforce.client-id", "client",
            "handoff.salesforce.client-secret", "secret")));

    private static Map<String, Element> fieldFiles;
    private static Element integration;
    private static Element sales;

    @BeforeAll
    static void readMetadata() throws Exception {
        fieldFiles = new TreeMap<>();
        try (Stream<Path> files = Files.list(LEAD.resolve("fields"))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                assertThat(name).as("file in objects/Lead/fields").endsWith(".field-meta.xml");
                fieldFiles.put(name.substring(0, name.length() - ".field-meta.xml".length()), parse(f, "CustomField"));
            }
        }
        integration = parse(PERMISSION_SETS.resolve("Handoff_Integration.permissionset-meta.xml"), "PermissionSet");
        sales = parse(PERMISSION_SETS.resolve("Handoff_Sales.permissionset-meta.xml"), "PermissionSet");
    }

    // ---- fields against the code ----------------------------------------------------------------

    @Test
    void everyCustomFieldTheHandoffWritesHasAFieldFile() {
        assertThat(fieldFiles.keySet()).containsAll(writtenCustomFields());
    }

    @Test
    void everyCustomFieldTheDispositionPollReadsHasAFieldFile() {
        assertThat(readCustomFields()).contains("Reject_Reason__c", "Reject_Comment__c");
        assertThat(fieldFiles.keySet()).containsAll(readCustomFields());
    }

    @Test
    void shipsNoFieldTheConnectorNeitherWritesNorReads() {
        Set<String> used = new LinkedHashSet<>(writtenCustomFields());
        used.addAll(readCustomFields());
        assertThat(fieldFiles.keySet()).containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void eachFieldFileNamesItsFieldAndExplainsItToAdminsAndReps() {
        SoftAssertions soft = new SoftAssertions();
        fieldFiles.forEach((name, f) -> {
            soft.assertThat(text(f, "fullName")).as("%s fullName", name).isEqualTo(name);
            soft.assertThat(text(f, "label")).as("%s label", name).isNotBlank().hasSizeLessThanOrEqualTo(40);
            soft.assertThat(text(f, "description")).as("%s description", name).isNotBlank().hasSizeLessThanOrEqualTo(1000);
            soft.assertThat(text(f, "inlineHelpText")).as("%s inline help", name).isNotBlank().hasSizeLessThanOrEqualTo(510);
        });
        soft.assertAll();
        assertThat(text(fieldFiles.get(SalesforceLeadWriter.EXPLANATION_FIELD), "inlineHelpText"))
                .startsWith("Why Handoff sent this lead");
    }

    @Test
    void fieldTypesAndLengthsAgreeWithTheEmulatedOrg() {
        SoftAssertions soft = new SoftAssertions();
        fieldFiles.forEach((name, f) -> {
            EmulatedLeadSchema.Field emulated = EmulatedLeadSchema.field(name).orElse(null);
            soft.assertThat(emulated).as("%s in the emulated org", name).isNotNull();
            if (emulated == null) {
                return;
            }
            String type = text(f, "type");
            switch (type) {
                case "Text" -> {
                    soft.assertThat(emulated.type()).as("%s type", name).isEqualTo("STRING");
                    soft.assertThat(integer(f, "length")).as("%s length", name).isEqualTo(emulated.length());
                }
                case "LongTextArea" -> {
                    // describe calls both Text Area types "textarea"; the long one is needed beyond 255 characters
                    soft.assertThat(emulated.type()).as("%s type", name).isEqualTo("TEXTAREA");
                    soft.assertThat(integer(f, "length")).as("%s length", name).isEqualTo(emulated.length())
                            .isGreaterThan(255);
                    soft.assertThat(integer(f, "visibleLines")).as("%s visible lines", name).isPositive();
                }
                case "TextArea" -> {
                    soft.assertThat(emulated.type()).as("%s type", name).isEqualTo("TEXTAREA");
                    soft.assertThat(emulated.length()).as("%s length", name).isEqualTo(255);
                }
                case "Number" -> {
                    soft.assertThat(emulated.type()).as("%s type", name).isEqualTo("DOUBLE");
                    soft.assertThat(integer(f, "precision")).as("%s precision", name).isEqualTo(18);
                    soft.assertThat(integer(f, "scale")).as("%s scale", name).isZero();
                }
                case "DateTime" -> soft.assertThat(emulated.type()).as("%s type", name).isEqualTo("DATETIME");
                case "Checkbox" -> {
                    soft.assertThat(emulated.type()).as("%s type", name).isEqualTo("BOOLEAN");
                    soft.assertThat(text(f, "defaultValue")).as("%s default", name).isEqualTo("false");
                }
                case "Picklist" -> soft.assertThat(emulated.type()).as("%s type", name)
                        .isEqualTo(restricted(f) ? "RESTRICTED_PICKLIST" : "PICKLIST");
                default -> soft.fail("%s has type %s, which this check does not map to the emulated org", name, type);
            }
            soft.assertThat(Boolean.parseBoolean(text(f, "externalId"))).as("%s external id", name)
                    .isEqualTo(emulated.externalId());
            soft.assertThat(Boolean.parseBoolean(text(f, "required"))).as("%s required", name)
                    .isEqualTo(emulated.required());
        });
        soft.assertAll();
    }

    @Test
    void upsertKeyIsAUniqueCaseInsensitiveExternalId() {
        Element f = fieldFiles.get(DEFAULTS.externalIdField());
        assertThat(f).as("field file for the default external-id-field %s", DEFAULTS.externalIdField()).isNotNull();
        assertThat(text(f, "type")).isEqualTo("Text");
        assertThat(integer(f, "length")).isEqualTo(255);
        assertThat(text(f, "externalId")).isEqualTo("true");
        assertThat(text(f, "unique")).isEqualTo("true");
        assertThat(text(f, "caseSensitive")).isEqualTo("false");
        assertThat(fieldFiles.entrySet().stream().filter(e -> "true".equals(text(e.getValue(), "externalId"))).map(Map.Entry::getKey))
                .as("external id fields").containsExactly(DEFAULTS.externalIdField());
    }

    @Test
    void rejectReasonPicklistOffersExactlyTheRejectReasonsOfTheQualificationDefinition() {
        List<String> codes = List.copyOf(DefinitionLoader.load(Path.of("config/qualification.yaml")).rejectReasons().keySet());
        Element picklist = fieldFiles.get("Reject_Reason__c");
        assertThat(text(picklist, "type")).isEqualTo("Picklist");
        assertThat(restricted(picklist)).as("restricted picklist").isTrue();

        Map<String, Element> values = picklistValues(picklist);
        assertThat(values.keySet()).containsExactlyElementsOf(codes);
        values.forEach((code, v) -> {
            assertThat(text(v, "label")).as("label of %s", code).isNotBlank().isNotEqualTo(code);
            assertThat(text(v, "default")).as("%s is no default: sales must choose", code).isEqualTo("false");
        });
    }

    // ---- permission sets ------------------------------------------------------------------------

    @Test
    void permissionSetsReferenceOnlyFieldsThatExist() {
        Set<String> standard = EmulatedLeadSchema.fieldNames();
        for (Element set : List.of(integration, sales)) {
            for (String field : fieldPermissions(set).keySet()) {
                assertThat(field).as("%s field permission", text(set, "label")).startsWith("Lead.");
                String name = field.substring("Lead.".length());
                if (name.endsWith("__c")) {
                    assertThat(fieldFiles).as("%s grants access to %s", text(set, "label"), field).containsKey(name);
                } else {
                    assertThat(COMPOUND_FIELDS.getOrDefault(name, List.of(name)))
                            .as("%s grants access to standard field %s", text(set, "label"), field)
                            .allSatisfy(part -> assertThat(standard).contains(part));
                }
            }
            assertThat(children(set, "objectPermissions")).extracting(o -> text(o, "object")).containsOnly("Lead");
        }
    }

    @Test
    void integrationUserCanWriteEveryFieldTheHandoffWritesAndCreateReadAndEditLeads() {
        Map<String, Element> grants = fieldPermissions(integration);
        for (String field : writtenCustomFields()) {
            assertThat(grants).as("Handoff Integration on %s", field).containsKey("Lead." + field);
            assertThat(text(grants.get("Lead." + field), "readable")).isEqualTo("true");
            assertThat(text(grants.get("Lead." + field), "editable")).as("edit on %s", field).isEqualTo("true");
        }
        Element lead = objectPermission(integration, "Lead");
        assertThat(text(lead, "allowCreate")).isEqualTo("true");
        assertThat(text(lead, "allowRead")).isEqualTo("true");
        assertThat(text(lead, "allowEdit")).isEqualTo("true");
        assertThat(text(lead, "allowDelete")).isEqualTo("false");
        assertThat(text(lead, "modifyAllRecords")).isEqualTo("false");
        assertThat(children(integration, "userPermissions"))
                .filteredOn(p -> "true".equals(text(p, "enabled"))).extracting(p -> text(p, "name"))
                .containsExactlyInAnyOrder("ApiEnabled", "ApiUserOnly");
        assertThat(text(integration, "description")).isNotBlank().hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void integrationUserCanReadButNotOverwriteTheSalesVerdict() {
        Map<String, Element> grants = fieldPermissions(integration);
        for (String field : readCustomFields()) {
            if (writtenCustomFields().contains(field)) {
                continue;
            }
            assertThat(grants).as("Handoff Integration on %s", field).containsKey("Lead." + field);
            assertThat(text(grants.get("Lead." + field), "readable")).isEqualTo("true");
            assertThat(text(grants.get("Lead." + field), "editable")).as("edit on %s", field).isEqualTo("false");
        }
    }

    @Test
    void repsCanRecordTheirVerdictAndOnlyReadWhatHandoffWrote() {
        Map<String, Element> grants = fieldPermissions(sales);
        for (String field : List.of("Reject_Reason__c", "Reject_Comment__c")) {
            assertThat(grants).as("Handoff Sales on %s", field).containsKey("Lead." + field);
            assertThat(text(grants.get("Lead." + field), "editable")).as("edit on %s", field).isEqualTo("true");
        }
        for (String field : writtenCustomFields()) {
            assertThat(grants).as("Handoff Sales on %s", field).containsKey("Lead." + field);
            assertThat(text(grants.get("Lead." + field), "readable")).as("read on %s", field).isEqualTo("true");
            assertThat(text(grants.get("Lead." + field), "editable")).as("edit on %s", field).isEqualTo("false");
        }
        Element lead = objectPermission(sales, "Lead");
        assertThat(text(lead, "allowCreate")).isEqualTo("false");
        assertThat(text(lead, "allowDelete")).isEqualTo("false");
        assertThat(children(sales, "userPermissions")).isEmpty();
        assertThat(text(sales, "description")).isNotBlank().hasSizeLessThanOrEqualTo(255);
    }

    // ---- validation rule, project file, README --------------------------------------------------

    @Test
    void closingAHandoffLeadUnderTheDefaultRejectedStatusRequiresAReason() throws Exception {
        Element rule = parse(VALIDATION_RULE, "ValidationRule");
        assertThat(text(rule, "fullName")).isEqualTo("Handoff_Reject_Reason_Required");
        assertThat(text(rule, "active")).isEqualTo("true");
        assertThat(text(rule, "errorDisplayField")).isEqualTo("Reject_Reason__c");
        assertThat(text(rule, "errorMessage")).isNotBlank().hasSizeLessThanOrEqualTo(255);

        String formula = text(rule, "errorConditionFormula");
        for (String status : DEFAULTS.rejectedStatuses()) {
            assertThat(formula).contains("ISPICKVAL(Status, \"" + status + "\")");
        }
        assertThat(formula).contains("ISBLANK(TEXT(Reject_Reason__c))")
                .contains("NOT(ISBLANK(" + DEFAULTS.externalIdField() + "))");
    }

    @Test
    void validationRuleReferencesOnlyFieldsThatExist() throws Exception {
        String formula = text(parse(VALIDATION_RULE, "ValidationRule"), "errorConditionFormula");
        Matcher m = Pattern.compile("\\b(\\w+__c)\\b").matcher(formula);
        List<String> custom = new ArrayList<>();
        while (m.find()) {
            custom.add(m.group(1));
        }
        assertThat(custom).isNotEmpty();
        assertThat(fieldFiles.keySet()).containsAll(custom);
        assertThat(EmulatedLeadSchema.fieldNames()).contains("Status");
    }

    @Test
    void projectDeploysForceAppAtTheApiVersionTheConnectorSpeaks() throws IOException {
        JsonNode project = new ObjectMapper().readTree(PROJECT.resolve("sfdx-project.json").toFile());
        assertThat(project.path("sourceApiVersion").asText()).isEqualTo("65.0").isEqualTo(DEFAULTS.apiVersion());
        JsonNode dirs = project.path("packageDirectories");
        assertThat(dirs.size()).isEqualTo(1);
        assertThat(dirs.get(0).path("path").asText()).isEqualTo("force-app");
        assertThat(dirs.get(0).path("default").asBoolean()).isTrue();
    }

    @Test
    void readmeNamesTheStatusesSettingsAndPermissionSetsTheConnectorExpects() throws IOException {
        String readme = Files.readString(PROJECT.resolve("README.md"));
        assertThat(readme).contains("sf project deploy start --source-dir force-app", "Handoff_Integration", "Handoff_Sales",
                "handoff.salesforce.accepted-statuses", "handoff.salesforce.rejected-statuses",
                "handoff.salesforce.token-url", "handoff.salesforce.client-id", "handoff.salesforce.client-secret",
                "Run As", "Handoff_Reject_Reason_Required");
        DEFAULTS.acceptedStatuses().forEach(s -> assertThat(readme).contains(s));
        DEFAULTS.rejectedStatuses().forEach(s -> assertThat(readme).contains(s));
    }

    // ---- what the code uses -----------------------------------------------------------------------

    private static List<String> writtenCustomFields() {
        List<String> fields = new ArrayList<>(SalesforceLeadWriter.CUSTOM_FIELDS);
        fields.add(DEFAULTS.externalIdField());
        return fields;
    }

    private static List<String> readCustomFields() {
        return Arrays.stream(String.format(SalesforceGateway.LEAD_CHANGE_FIELDS, DEFAULTS.externalIdField()).split(","))
                .map(String::trim).filter(f -> f.endsWith("__c")).toList();
    }

    // ---- XML ----------------------------------------------------------------------------------------

    private static Element parse(Path file, String rootElement) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        Element root = builder.parse(file.toFile()).getDocumentElement();
        assertThat(root.getNamespaceURI()).as("%s namespace", file).isEqualTo(METADATA_NS);
        assertThat(root.getLocalName()).as("%s root element", file).isEqualTo(rootElement);
        return root;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && METADATA_NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Text of the one direct child called {@code name}, or null when there is none. */
    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        assertThat(found.size()).as("<%s> elements under <%s>", name, parent.getLocalName()).isLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    private static int integer(Element parent, String name) {
        String v = text(parent, name);
        assertThat(v).as("<%s>", name).isNotNull();
        return Integer.parseInt(v);
    }

    private static boolean restricted(Element picklist) {
        List<Element> valueSet = children(picklist, "valueSet");
        return !valueSet.isEmpty() && "true".equals(text(valueSet.get(0), "restricted"));
    }

    private static Map<String, Element> picklistValues(Element picklist) {
        Element definition = children(children(picklist, "valueSet").get(0), "valueSetDefinition").get(0);
        Map<String, Element> values = new LinkedHashMap<>();
        for (Element v : children(definition, "value")) {
            assertThat(values.put(text(v, "fullName"), v)).as("duplicate picklist value").isNull();
        }
        return values;
    }

    private static Map<String, Element> fieldPermissions(Element permissionSet) {
        Map<String, Element> out = new LinkedHashMap<>();
        for (Element p : children(permissionSet, "fieldPermissions")) {
            assertThat(out.put(text(p, "field"), p)).as("second grant on %s", text(p, "field")).isNull();
        }
        return out;
    }

    private static Element objectPermission(Element permissionSet, String object) {
        List<Element> found = children(permissionSet, "objectPermissions").stream()
                .filter(o -> object.equals(text(o, "object"))).toList();
        assertThat(found).as("%s object permissions on %s", text(permissionSet, "label"), object).hasSize(1);
        return found.get(0);
    }
}
