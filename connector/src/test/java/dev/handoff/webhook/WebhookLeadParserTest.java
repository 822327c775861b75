package dev.handoff.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.engine.Activity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookLeadParserTest {

    private final WebhookLeadParser parser = new WebhookLeadParser();

    private static byte[] b(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    private List<String> errorsOf(String body) {
        try {
            parser.parseLead(b(body));
        } catch (WebhookLeadParser.MalformedPayloadException e) {
            return e.errors();
        }
        throw new AssertionError("expected errors");
    }

    @Test
    void wellFormedLeadBecomesNormalizedFieldsAndActivities() {
        WebhookLeadParser.PushedLead lead = parser.parseLead(b("{'id':'L-1','fields':{'email':'ana@initech.example',"
                + "'annual_revenue':90000000,'employees':1200.0,'title':'VP Sales','country':null},"
                + "'activities':[{'id':'a1','type':'webinar_attended','at':'2026-11-01T10:00:00Z'}]}"));
        assertThat(lead.id()).isEqualTo("L-1");
        assertThat(lead.fields()).containsEntry("email", "ana@initech.example").containsEntry("annual_revenue", "90000000")
                .containsEntry("employees", "1200").containsEntry("title", "VP Sales").doesNotContainKey("country");
        assertThat(lead.activities()).containsExactly(
                new Activity("a1", "L-1", "webinar_attended", Instant.parse("2026-11-01T10:00:00Z")));
    }

    @Test
    void everyProblemIsNamedByItsPath() {
        assertThat(errorsOf("{'id':7,'fields':{'email':42,'company':{'x':1}},'activities':[{'id':'a1','type':'webinar_attended',"
                + "'at':'2026-11-01T10:00:00Z'},{'id':'a2','type':'webinar_attended','at':'2026-11-01T10:00:00Z'},"
                + "{'id':'a3','type':'webinar_attended','at':'yesterday'}],'extra':true}"))
                .containsExactlyInAnyOrder("extra: unknown key", "id: must be a string", "fields.email: must be a string",
                        "fields.company: must be a string or a number", "activities[2].at: not an ISO-8601 instant");
    }

    @Test
    void missingPartsAreRequired() {
        assertThat(errorsOf("{'fields':{'company':'Initech'}}")).containsExactlyInAnyOrder("id: is required",
                "fields.email: is required");
        assertThat(errorsOf("{'id':'L1'}")).containsExactly("fields: is required");
        assertThat(errorsOf("{'id':'L1','fields':{'email':'a@b.example'},'activities':[{'type':'Bad Type'}]}"))
                .containsExactlyInAnyOrder("activities[0].id: is required",
                        "activities[0].type: must be an activity type name like webinar_attended",
                        "activities[0].at: is required");
    }

    @Test
    void brokenJsonNamesOnlyThePositionNeverTheInput() {
        assertThat(errorsOf("{'id':'L1','fields':{'email':'secret.person@initech.example',")).singleElement()
                .satisfies(e -> assertThat(e).startsWith("body: not valid JSON (line 1").doesNotContain("secret.person"));
        assertThat(errorsOf("")).containsExactly("body: is empty");
        assertThat(errorsOf("[1,2]")).containsExactly("body: must be a JSON object");
        assertThat(errorsOf("{'id':'L1','id':'L2','fields':{'email':'a@b.example'}}")).singleElement()
                .satisfies(e -> assertThat(e).startsWith("body: not valid JSON"));
        assertThat(errorsOf("{'id':'L1','fields':{'email':'a@b.example'}} trailing")).singleElement()
                .satisfies(e -> assertThat(e).startsWith("body: not valid JSON"));
    }

    @Test
    void oversizedOrOddValuesAreRefusedBeforeTheyReachTheLedger() {
        assertThat(errorsOf("{'id':'" + "x".repeat(65) + "','fields':{'email':'a@b.example'}}"))
                .containsExactly("id: must be 1-64 letters, digits or . _ : @ -");
        assertThat(errorsOf("{'id':'L1','fields':{'email':'a@b.example','title':'" + "t".repeat(2001) + "'}}"))
                .containsExactly("fields.title: longer than 2000 characters");
        assertThat(errorsOf("{'id':'L1','fields':{'email':'a@b.example','Bad Name':'x'}}"))
                .containsExactly("fields: a field name is not a normalized name (lower_snake_case, at most 64 characters)");
    }

    @Test
    void hubSpotDeliveryYieldsTheDistinctTouchedContactIds() {
        List<String> ids = parser.parseHubSpotEvents(b("[{'eventId':1,'subscriptionType':'contact.propertyChange','objectId':101,"
                + "'propertyName':'lifecyclestage','occurredAt':1762074000000},"
                + "{'eventId':2,'subscriptionType':'contact.creation','objectId':102},"
                + "{'eventId':3,'subscriptionType':'company.propertyChange','objectId':900},"
                + "{'eventId':4,'subscriptionType':'object.propertyChange','objectTypeId':'0-1','objectId':101},"
                + "{'eventId':5,'subscriptionType':'object.propertyChange','objectTypeId':'0-2','objectId':901}]"));
        assertThat(ids).containsExactly("101", "102");
    }

    @Test
    void malformedHubSpotDeliveryNamesTheEvent() {
        assertThatThrownBy(() -> parser.parseHubSpotEvents(b("{'objectId':1}")))
                .isInstanceOfSatisfying(WebhookLeadParser.MalformedPayloadException.class,
                        e -> assertThat(e.errors()).containsExactly("body: must be a JSON array of events"));
        assertThatThrownBy(() -> parser.parseHubSpotEvents(b("[{'subscriptionType':'contact.creation','objectId':'abc'},3]")))
                .isInstanceOfSatisfying(WebhookLeadParser.MalformedPayloadException.class,
                        e -> assertThat(e.errors()).containsExactly("[0].objectId: must be a positive whole number",
                                "[1]: must be an object"));
    }
}
