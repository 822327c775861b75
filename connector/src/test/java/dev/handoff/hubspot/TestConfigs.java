package dev.handoff.hubspot;

import dev.handoff.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Settings and clients for the HubSpot unit tests: a fake HubSpot, no limits on this side, recorded sleeps. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Settings settings(String... overrides) {
        Map<String, String> m = new HashMap<>();
        m.put("handoff.hubspot.base-url", "http://hubspot.test");
        m.put("handoff.hubspot.token", FakeHubSpot.TOKEN);
        m.put("handoff.hubspot.index-lag", "0s");
        for (int i = 0; i < overrides.length; i += 2) {
            m.put(overrides[i], overrides[i + 1]);
        }
        return new Settings(m);
    }

    static HubSpotConfig config(String... overrides) {
        return HubSpotConfig.from(settings(overrides));
    }

    /** A client whose waits are only recorded in {@code sleeps}. */
    static HubSpotClient client(HubSpotConfig config, FakeHubSpot hubspot, Clock clock, List<Duration> sleeps) {
        return new HubSpotClient(config, hubspot, clock, dev.handoff.transport.ApiThrottle.unlimited("hubspot"), dev.handoff.transport.ApiThrottle.unlimited("hubspot"), sleeps::add);
    }

    static HubSpotClient client(HubSpotConfig config, FakeHubSpot hubspot) {
        return client(config, hubspot, Clock.systemUTC(), new ArrayList<>());
    }
}
