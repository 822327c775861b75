package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.config.Settings;
import dev.handoff.testing.MovableClock;
import dev.handoff.transport.HttpResponse;
import dev.handoff.transport.HttpTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Acquisition program names: one listing for many ids, a bounded retry, and names that cannot harm a lead. */
class ProgramNamesTest {

    /** Marketo's token and Get Programs endpoints over a map of programs; every program listing call is logged. */
    private static final class FakeAssets implements HttpTransport {
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
        final TreeMap<Integer, String> programs = new TreeMap<>();
        final List<String> listings = new ArrayList<>();
        boolean failing;

        @Override
        public HttpResponse send(dev.handoff.transport.HttpRequest request) {
            String path = request.uri().getPath();
            if (path.equals("/identity/oauth/token")) {
                return json("{\"access_token\":\"tok\",\"token_type\":\"bearer\",\"expires_in\":3599,\"scope\":\"api\"}");
            }
            if (!path.equals("/rest/asset/v1/programs.json")) {
                throw new AssertionError("unexpected call " + path);
            }
            Map<String, String> q = java.util.Arrays.stream(request.uri().getRawQuery().split("&"))
                    .map(p -> p.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p[1]));
            listings.add(q.get("offset") + "/" + q.get("maxReturn"));
            if (failing) {
                return new HttpResponse(500, Map.of("Content-Type", "text/html"),
                        "<html>Internal Server Error</html>".getBytes(StandardCharsets.UTF_8));
            }
            List<Map<String, Object>> items = programs.entrySet().stream().skip(Integer.parseInt(q.get("offset")))
                    .limit(Integer.parseInt(q.get("maxReturn")))
                    .map(e -> Map.<String, Object>of("id", e.getKey(), "name", e.getValue(), "type", "Default")).toList();
            Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("success", true, "errors", List.of(),
                    "requestId", "r"));
            if (items.isEmpty()) {
                body.put("warnings", List.of("No assets found for the given search criteria."));
            } else {
                body.put("warnings", List.of());
                body.put("result", items);
            }
            try {
                return json(JSON.writeValueAsString(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private static HttpResponse json(String body) {
            return new HttpResponse(200, Map.of("Content-Type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-02T09:00:00Z"));
    private final FakeAssets marketo = new FakeAssets();
    private final ProgramNames names = new ProgramNames(new MarketoClient(MarketoConfig.from(new Settings(Map.of(
            "handoff.marketo.base-url", "http://mkto.test", "handoff.marketo.client-id", "id",
            "handoff.marketo.client-secret", "secret"))), marketo, clock), clock);

    @Test
    void oneListingNamesEveryProgramAndAnUnknownIdIsListedAgainOnlyAfterAnHour() {
        marketo.programs.put(2201, "Webinar - Pipeline Math (Sep)");
        marketo.programs.put(2301, "Syndication - Analyst Guide");

        assertThat(names.label("2201")).isEqualTo("Webinar - Pipeline Math (Sep) (2201)");
        assertThat(names.label("2301")).isEqualTo("Syndication - Analyst Guide (2301)");
        assertThat(names.label("4711")).as("not a program Marketo listed").isEqualTo("4711");
        assertThat(marketo.listings).containsExactly("0/200");

        marketo.programs.put(4711, "Trade Show - Autumn Summit");
        clock.advance(Duration.ofMinutes(59));
        assertThat(names.label("4711")).isEqualTo("4711");
        clock.advance(Duration.ofMinutes(1));
        assertThat(names.label("4711")).isEqualTo("Trade Show - Autumn Summit (4711)");
        assertThat(marketo.listings).containsExactly("0/200", "0/200");
    }

    @Test
    void programsAreListed200AtATime() {
        for (int id = 1; id <= 450; id++) {
            marketo.programs.put(id, "Program " + id);
        }

        assertThat(names.label("450")).isEqualTo("Program 450 (450)");
        assertThat(marketo.listings).containsExactly("0/200", "200/200", "400/200");
    }

    @Test
    void aFailedListingLeavesTheIdAndIsTriedAgainAfterAnHour() {
        marketo.programs.put(2201, "Webinar - Pipeline Math (Sep)");
        marketo.failing = true;

        assertThat(names.label("2201")).isEqualTo("2201");
        assertThat(names.label("2201")).isEqualTo("2201");
        assertThat(marketo.listings).as("no second try within the hour").hasSize(1);

        marketo.failing = false;
        clock.advance(Duration.ofHours(1));
        assertThat(names.label("2201")).isEqualTo("Webinar - Pipeline Math (Sep) (2201)");
    }

    @Test
    void aNameThatWouldHarmTheLeadIsNotUsedAndALongOneIsShortenedToTheFieldsLimit() {
        marketo.programs.put(1, "=HYPERLINK(\"http://x\")");
        marketo.programs.put(2, "Webinar\u0007 bell");
        marketo.programs.put(3, "W".repeat(300));

        assertThat(names.label("1")).isEqualTo("1");
        assertThat(names.label("2")).isEqualTo("2");
        assertThat(names.label("3")).hasSize(ProgramNames.MAX_LABEL).endsWith("W\u2026 (3)");
    }

    @Test
    void aValueThatIsNotAProgramIdIsLeftAsItIsWithoutACall() {
        assertThat(names.label("Spring Campaign")).isEqualTo("Spring Campaign");
        assertThat(names.label("")).isEmpty();
        assertThat(marketo.listings).isEmpty();
    }
}
