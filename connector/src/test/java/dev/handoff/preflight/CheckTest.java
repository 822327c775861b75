package dev.handoff.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckTest {

    @Test
    void passedCheckPrintsATickWithItsDetail() {
        assertThat(Check.pass("Lead describable", "35 fields").line()).isEqualTo("✔ Lead describable — 35 fields");
    }

    @Test
    void failedCheckPrintsACrossWithItsFix() {
        assertThat(Check.fail("Lead.Status picklist", "lacks Qualified", "add 'Qualified'").line())
                .isEqualTo("✘ Lead.Status picklist — lacks Qualified; fix: add 'Qualified'");
    }

    @Test
    void failedCheckWithoutAHintIsRefused() {
        assertThatThrownBy(() -> Check.fail("x", "y", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notCheckedPartPassesButSaysHowToEnableIt() {
        Check c = Check.notChecked("Opportunity describable", "not available", "grant read on Opportunity");

        assertThat(c.ok()).isTrue();
        assertThat(c.isNotChecked()).isTrue();
        assertThat(c.line()).isEqualTo("– Opportunity describable — not available (not checked); to enable: grant read on Opportunity");
    }

    @Test
    void reportFailsOnAnyFailedCheckAndOnAnUnreachableSystem() {
        PreflightReport good = new PreflightReport(List.of(Check.pass("a", "")), false);
        PreflightReport bad = new PreflightReport(List.of(Check.fail("b", "", "fix b")), false);
        PreflightReport down = new PreflightReport(List.of(), true);

        assertThat(good.ok()).isTrue();
        assertThat(good.and(bad).ok()).isFalse();
        assertThat(good.and(bad).failures()).extracting(Check::what).containsExactly("b");
        assertThat(good.and(down).unreachable()).isTrue();
        assertThat(good.and(down).ok()).isFalse();
    }
}
