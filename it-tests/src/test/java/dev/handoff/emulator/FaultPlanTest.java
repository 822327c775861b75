package dev.handoff.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

    private static final List<String> ALL = List.of("A", "B", "C", "D");

    private static List<String> draws(FaultPlan plan, int calls) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            // Calls alternate between two eligibility lists, as reads and writes do.
            List<String> eligible = i % 3 == 0 ? List.of("A", "B") : ALL;
            out.add(plan.next(eligible).map(FaultPlan.Injection::kind).orElse("-"));
        }
        return out;
    }

    @Test
    void theSameSeedGivesTheSameFaultsAndAnotherSeedOthers() {
        assertThat(draws(new FaultPlan(0.3, 9), 200)).isEqualTo(draws(new FaultPlan(0.3, 9), 200))
                .isNotEqualTo(draws(new FaultPlan(0.3, 10), 200))
                .contains("-", "A", "B", "C", "D");
    }

    @Test
    void selectedKindsFaultExactlyTheCallsTheFullPlanFaultsThatCanSufferThem() {
        List<String> full = draws(new FaultPlan(0.3, 9), 300);
        List<String> onlyC = draws(new FaultPlan(0.3, 9).onlyKinds(List.of("C")), 300);

        assertThat(onlyC).containsOnly("-", "C").contains("C");
        for (int i = 0; i < full.size(); i++) {
            // A call either faults in both plans or in neither: only the kind picked may differ.
            boolean eligibleForC = i % 3 != 0;
            assertThat(onlyC.get(i).equals("C")).as("call %d", i).isEqualTo(eligibleForC && !full.get(i).equals("-"));
        }
    }

    @Test
    void aBurstFaultsTheFirstEligibleCallsWhateverTheRateThenTheRateApplies() {
        FaultPlan plan = new FaultPlan(0, 1).withBurst(3).onlyKinds(List.of("D"));

        assertThat(plan.next(List.of("A"))).as("not eligible: not part of the burst").isEmpty();
        assertThat(draws(plan, 12)).containsExactly("-", "D", "D", "-", "D", "-", "-", "-", "-", "-", "-", "-");
    }

    @Test
    void aPlanTellsWhichKindsItAllowsAndHowLongATimeoutLasts() {
        FaultPlan plan = new FaultPlan(0.1, 1).onlyKinds(List.of("TIMEOUT")).withTimeoutDelay(Duration.ofMillis(1500));

        assertThat(plan.allows("TIMEOUT")).isTrue();
        assertThat(plan.allows("HTTP_500")).isFalse();
        assertThat(new FaultPlan(0.1, 1).allows("HTTP_500")).isTrue();
        assertThat(plan.timeoutDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(new FaultPlan(0.1, 1).timeoutDelay()).isEqualTo(FaultPlan.DEFAULT_TIMEOUT_DELAY);
        assertThat(plan.toString()).contains("only [TIMEOUT]");
        assertThat(FaultPlan.none().next(ALL)).isEqualTo(Optional.empty());
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new FaultPlan(1.5, 1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new FaultPlan(0.1, 1).withBurst(-1)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new FaultPlan(0.1, 1).onlyKinds(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new FaultPlan(0.1, 1).withTimeoutDelay(Duration.ZERO)).hasMessageContaining("delay");
    }

    @Test
    void theSandboxKnowsEveryKindOfEveryEmulatorByName() {
        assertThat(Sandbox.faultKinds()).contains("RECORD_LOCK", "RATE_LIMIT_606", "RATE_LIMIT_429", "TIMEOUT", "HTTP_500",
                "SESSION_EXPIRED", "MALFORMED_RESPONSE", "CONNECTION_RESET");
    }
}
