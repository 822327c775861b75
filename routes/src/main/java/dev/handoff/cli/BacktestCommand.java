package dev.handoff.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.app.ConfigFiles;
import dev.handoff.backtest.Backtest;
import dev.handoff.backtest.BacktestResult;
import dev.handoff.backtest.BacktestResult.DefinitionResult;
import dev.handoff.backtest.HistoryLead;
import dev.handoff.backtest.LedgerHistory;
import dev.handoff.backtest.ShadowComparison;
import dev.handoff.config.Secret;
import dev.handoff.config.Settings;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionException;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.ledger.Ledger;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code handoff backtest}: what a candidate definition would have done to the leads already in the
 * ledger, next to the baseline (the definition in force), judged by what sales actually did with
 * them; and, with {@code --shadow}, how the live decisions and the shadow definition agreed.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Replay the ledger's leads through a candidate definition and the baseline: MQLs per SLA period, "
                + "acceptance, conversion, recall, rejections avoided and the leads that flip.")
public final class BacktestCommand implements Callable<Integer> {

    private static final int PAGE = 500;
    /** The only keys a backtest reads: the secrets of the other systems need not be in the environment. */
    private static final java.util.Set<String> LEDGER_AND_DEFINITION = java.util.Set.of("handoff.ledger.url", "handoff.ledger.user",
            "handoff.ledger.password", "handoff.definition");

    @Option(names = "--candidate", paramLabel = "FILE", description = "The proposed definition YAML (required unless --shadow).")
    Path candidate;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "The definition to compare with (default: handoff.definition of the configuration).")
    Path baseline;

    @Option(names = "--since", paramLabel = "DATE",
            description = "Only leads scored from this day (2026-11-01, UTC) or moment (2026-11-01T09:00:00Z) on.")
    String since;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "config/application.properties",
            description = "application.properties naming the ledger and the definition (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--shadow", description = "Also compare the live decisions with the shadow definition's (handoff.definition.shadow).")
    boolean shadow;

    @Option(names = "--flips", paramLabel = "N", defaultValue = "50",
            description = "Leads that flip (or disagree) to list; all are counted (default: ${DEFAULT-VALUE}).")
    int flipLimit;

    @Option(names = "--json", description = "Print one JSON object on the last line instead of tables.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (candidate == null && !shadow) {
            err.println("handoff backtest: --candidate FILE is required (or --shadow to compare live and shadow decisions)");
            return HandoffCli.INVALID_INPUT;
        }
        if (flipLimit < 0 || flipLimit > 100_000) {
            err.println("handoff backtest: --flips " + flipLimit + " is outside 0..100000");
            return HandoffCli.INVALID_INPUT;
        }
        Instant from = null;
        if (since != null) {
            from = parseSince(since);
            if (from == null) {
                err.println("handoff backtest: invalid --since \"" + since
                        + "\": expected a date like 2026-11-01 or a time like 2026-11-01T09:00:00Z");
                return HandoffCli.INVALID_INPUT;
            }
        }
        Settings settings = ConfigFiles.loadKeys(config, LEDGER_AND_DEFINITION::contains);
        Definition base = null;
        Definition cand = null;
        if (candidate != null) {
            Path baseFile = baseline != null ? baseline : Path.of(settings.string("handoff.definition", "config/qualification.yaml"));
            base = load(baseFile, "baseline", err);
            cand = load(candidate, "candidate", err);
            if (base == null || cand == null) {
                return HandoffCli.INVALID_INPUT;
            }
        }
        String url = settings.string("handoff.ledger.url", "jdbc:h2:file:./data/handoff-ledger");
        String missing = missingH2File(url);
        if (missing != null) {
            err.println("handoff backtest: no ledger at " + missing + " (handoff.ledger.url in " + config + ")");
            return HandoffCli.INVALID_INPUT;
        }
        try (Ledger ledger = Ledger.open(url, settings.string("handoff.ledger.user", "sa"),
                Secret.of(settings.string("handoff.ledger.password", "")), Clock.systemUTC())) {
            LedgerHistory history = new LedgerHistory(ledger);
            BacktestResult result = cand == null ? null
                    : new Backtest(base, cand).run(history, new Backtest.Options(from, flipLimit, PAGE));
            ShadowComparison comparison = shadow ? ShadowComparison.of(history, from, flipLimit, PAGE) : null;
            long scored = result != null ? result.scored() : comparison.compared() + comparison.notShadowScored();
            if (scored == 0) {
                err.println("handoff backtest: the ledger at " + redact(url) + " has no scored leads"
                        + (from == null ? "" : " since " + from) + ": nothing to replay");
                return HandoffCli.INVALID_INPUT;
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ledger", redact(url));
                m.put("since", from == null ? null : from.toString());
                if (result != null) {
                    m.putAll(toJson(result));
                }
                if (comparison != null) {
                    m.put("shadow", toJson(comparison));
                }
                out.println(ExplainCommand.JSON.writeValueAsString(m));
            } else {
                if (result != null) {
                    print(out, result, redact(url));
                }
                if (comparison != null) {
                    print(out, comparison);
                }
            }
        }
        out.flush();
        return HandoffCli.OK;
    }

    private static Definition load(Path file, String role, PrintWriter err) {
        try {
            return DefinitionLoader.load(file);
        } catch (DefinitionException e) {
            err.println("handoff backtest: the " + role + " definition has problems:");
            e.problems().forEach(p -> err.println(p));
            return null;
        }
    }

    /** A day (start of that day in UTC) or an ISO-8601 instant; null when neither. */
    static Instant parseSince(String text) {
        try {
            return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return LeadFile.parseInstant(text);
        }
    }

    /** The database file an embedded H2 URL names, when it does not exist (H2 would quietly create an empty one). */
    private static String missingH2File(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String path = url.substring("jdbc:h2:file:".length());
        int options = path.indexOf(';');
        Path file = Path.of((options < 0 ? path : path.substring(0, options)) + ".mv.db");
        return Files.exists(file) ? null : file.toString();
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1******");
    }

    // ---- JSON -----------------------------------------------------------------------------------

    static Map<String, Object> toJson(BacktestResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scored", r.scored());
        m.put("not_scored", r.unscored());
        m.put("unreadable", r.unreadable());
        m.put("first", r.first() == null ? null : r.first().toString());
        m.put("last", r.last() == null ? null : r.last().toString());
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("versions", r.recordedVersions());
        recorded.put("mqls", r.recordedMqls());
        recorded.put("baseline_agrees", r.baselineAgrees());
        m.put("recorded", recorded);
        m.put("baseline", toJson(r.baseline()));
        m.put("candidate", toJson(r.candidate()));
        Map<String, Object> flips = new LinkedHashMap<>();
        flips.put("total", r.flipsTotal());
        flips.put("baseline_only", r.baselineOnly());
        flips.put("candidate_only", r.candidateOnly());
        flips.put("listed", r.flips().stream().map(f -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", f.mapId());
            row.put("email", f.maskedEmail());
            row.put("direction", f.direction());
            row.put("baseline", toJson(f.baseline()));
            row.put("candidate", toJson(f.candidate()));
            row.put("live", f.live());
            return row;
        }).toList());
        m.put("flips", flips);
        return m;
    }

    private static Map<String, Object> toJson(DefinitionResult d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("definition", d.definition());
        m.put("mqls", d.mqls());
        Map<String, Object> periods = new LinkedHashMap<>();
        periods.put("per", d.quantity().per());
        periods.put("min", d.quantity().min());
        periods.put("max", d.quantity().max());
        periods.put("within", d.periodsWithin());
        periods.put("list", d.periods().stream().map(p -> Map.of("period", p.period(), "mqls", p.mqls(), "status", p.status()))
                .toList());
        m.put("periods", periods);
        m.put("accepted", d.accepted());
        m.put("rejected", d.rejected());
        m.put("no_verdict", Map.of("total", d.noVerdict(), "not_handed_off", d.notHandedOff(),
                "awaiting_verdict", d.awaitingVerdict()));
        m.put("acceptance_rate", d.acceptanceRate());
        m.put("handed_off", d.handedOff());
        m.put("converted", d.converted());
        m.put("conversion_rate", d.conversionRate());
        m.put("converted_total", d.convertedTotal());
        m.put("recall", d.recall());
        Map<String, Object> quality = new LinkedHashMap<>();
        quality.put("metric", d.quality().metric());
        quality.put("target", d.quality().target());
        quality.put("window_days", d.quality().windowDays());
        quality.put("reached", d.quality().reached());
        quality.put("of", d.quality().of());
        quality.put("value", d.quality().value());
        quality.put("met", d.quality().met());
        m.put("quality", quality);
        m.put("rejected_not_qualified", d.rejectedNotQualified());
        m.put("accepted_not_qualified", d.acceptedNotQualified());
        return m;
    }

    private static Map<String, Object> toJson(HistoryLead.Score s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mql", s.mql());
        m.put("fit", s.fit());
        m.put("engagement", s.engagement());
        m.put("grade", s.grade());
        m.put("disqualified_by", s.disqualifiedBy());
        return m;
    }

    static Map<String, Object> toJson(ShadowComparison s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("compared", s.compared());
        m.put("not_shadow_scored", s.notShadowScored());
        m.put("versions", s.shadowVersions());
        m.put("both", s.both());
        m.put("live_only", s.liveOnly());
        m.put("shadow_only", s.shadowOnly());
        m.put("neither", s.neither());
        m.put("agreement", s.agreement());
        m.put("live_only_accepted", s.liveOnlyAccepted());
        m.put("live_only_rejected", s.liveOnlyRejected());
        m.put("disagreements_total", s.disagreementsTotal());
        m.put("disagreements", s.disagreements().stream().map(d -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", d.mapId());
            row.put("email", d.maskedEmail());
            row.put("live", toJson(d.live()));
            row.put("live_version", d.liveVersion());
            row.put("shadow", toJson(d.shadow()));
            row.put("shadow_version", d.shadowVersion());
            row.put("outcome", d.outcome());
            return row;
        }).toList());
        return m;
    }

    // ---- tables ---------------------------------------------------------------------------------

    private static void print(PrintWriter out, BacktestResult r, String url) {
        DefinitionResult b = r.baseline();
        DefinitionResult c = r.candidate();
        out.println("Backtest of " + r.scored() + " scored leads (" + day(r.first()) + " to " + day(r.last()) + ")"
                + (r.since() == null ? "" : " since " + r.since()) + ", ledger " + url);
        out.println("Live decisions were made with " + versions(r.recordedVersions()) + "; the baseline " + b.definition()
                + " reproduces " + r.baselineAgrees() + " of those " + r.scored() + " decisions.");
        if (r.unscored() > 0) {
            out.println(r.unscored() + " leads were never scored (new, or quarantined at intake) and are not replayed.");
        }
        if (r.unreadable() > 0) {
            out.println(r.unreadable() + " leads were skipped because their stored snapshot could not be read.");
        }
        out.println();
        row(out, "", "baseline", "candidate");
        row(out, "definition", b.definition(), c.definition());
        row(out, "MQLs", b.mqls(), c.mqls());
        row(out, "accepted by sales", b.accepted(), c.accepted());
        row(out, "rejected by sales", b.rejected(), c.rejected());
        row(out, "no sales verdict (not counted)", b.noVerdict(), c.noVerdict());
        row(out, "  never handed off", b.notHandedOff(), c.notHandedOff());
        row(out, "  handed off, awaiting verdict", b.awaitingVerdict(), c.awaitingVerdict());
        row(out, "acceptance rate (of decided)", pct(b.acceptanceRate()), pct(c.acceptanceRate()));
        row(out, "handed off to sales", b.handedOff(), c.handedOff());
        row(out, "converted", b.converted(), c.converted());
        row(out, "conversion rate (of handed off)", pct(b.conversionRate()), pct(c.conversionRate()));
        row(out, "recall of converted leads", pct(b.recall()), pct(c.recall()));
        boolean sameQuality = b.quality().metric().equals(c.quality().metric())
                && b.quality().windowDays() == c.quality().windowDays();
        row(out, sameQuality ? "quality: " + b.quality().metric() + " within " + b.quality().windowDays() + " d" : "quality target",
                quality(b.quality(), !sameQuality), quality(c.quality(), !sameQuality));
        row(out, "periods within the MQL range", b.periodsWithin() + " of " + b.periods().size(),
                c.periodsWithin() + " of " + c.periods().size());
        out.println("(" + b.convertedTotal() + " leads converted in all; leads sales never decided on count neither as "
                + "accepted nor as rejected)");
        out.println();
        if (b.quantity().per().equals(c.quantity().per())) {
            row(out, "MQLs per " + b.quantity().per(), "baseline " + range(b), "candidate " + range(c));
            for (int i = 0; i < b.periods().size(); i++) {
                BacktestResult.PeriodCount pb = b.periods().get(i);
                BacktestResult.PeriodCount pc = c.periods().get(i);
                row(out, "  " + pb.period(), pb.mqls() + " " + pb.status(), pc.mqls() + " " + pc.status());
            }
        } else {
            for (DefinitionResult d : List.of(b, c)) {
                out.println("MQLs per " + d.quantity().per() + " with " + d.definition() + " (range " + range(d) + "):");
                d.periods().forEach(p -> out.printf("  %-12s %8d %s%n", p.period(), p.mqls(), p.status()));
            }
        }
        out.println();
        long rejectedTotal = c.rejected() + c.rejectedNotQualified().values().stream().mapToLong(Long::longValue).sum();
        long avoided = c.rejectedNotQualified().values().stream().mapToLong(Long::longValue).sum();
        out.println("Rejections the candidate would have avoided: " + avoided + " of " + rejectedTotal + " rejected leads");
        c.rejectedNotQualified().forEach((reason, n) -> out.printf("  %-28s %6d%n", reason, n));
        long acceptedTotal = c.accepted() + c.acceptedNotQualified();
        out.println("Accepted leads the candidate would have held back: " + c.acceptedNotQualified() + " of " + acceptedTotal);
        out.println();
        out.println("Leads that flip: " + r.flipsTotal() + " (MQL under the baseline only: " + r.baselineOnly()
                + ", under the candidate only: " + r.candidateOnly() + ")");
        if (!r.flips().isEmpty()) {
            out.printf("  %-10s %-34s %-16s %-16s %s%n", "map id", "email", "baseline", "candidate", "live");
            for (BacktestResult.Flip f : r.flips()) {
                out.printf("  %-10s %-34s %-16s %-16s %s%n", f.mapId(), f.maskedEmail(), score(f.baseline()),
                        score(f.candidate()), f.live());
            }
            if (r.flips().size() < r.flipsTotal()) {
                out.println("  (" + r.flips().size() + " of " + r.flipsTotal() + " listed; --flips N lists more)");
            }
        }
        out.println("Scores read fit/engagement grade.");
    }

    private static void print(PrintWriter out, ShadowComparison s) {
        out.println();
        out.println("Shadow mode: live and shadow decisions on " + s.compared() + " leads scored by both"
                + (s.shadowVersions().isEmpty() ? "" : " (shadow " + versions(s.shadowVersions()) + ")"));
        if (s.notShadowScored() > 0) {
            out.println(s.notShadowScored() + " scored leads have no shadow result (shadow mode was off when they were scored).");
        }
        if (s.compared() == 0) {
            out.println("Nothing to compare: set handoff.definition.shadow=FILE and let the sidecar score leads.");
            return;
        }
        out.printf("  %-34s %8d%n", "MQL in both", s.both());
        out.printf("  %-34s %8d%n", "MQL live only", s.liveOnly());
        out.printf("  %-34s %8d%n", "MQL in the shadow only", s.shadowOnly());
        out.printf("  %-34s %8d%n", "MQL in neither", s.neither());
        out.printf("  %-34s %8s%n", "agreement", pct(s.agreement()));
        out.println("  Of the live-only MQLs sales accepted " + s.liveOnlyAccepted() + " and rejected "
                + s.liveOnlyRejected().values().stream().mapToLong(Long::longValue).sum()
                + (s.liveOnlyRejected().isEmpty() ? "" : " " + s.liveOnlyRejected()) + ".");
        if (!s.disagreements().isEmpty()) {
            out.printf("  %-10s %-34s %-16s %-16s %s%n", "map id", "email", "live", "shadow", "live outcome");
            for (ShadowComparison.Disagreement d : s.disagreements()) {
                out.printf("  %-10s %-34s %-16s %-16s %s%n", d.mapId(), d.maskedEmail(), score(d.live()), score(d.shadow()),
                        d.outcome());
            }
            if (s.disagreements().size() < s.disagreementsTotal()) {
                out.println("  (" + s.disagreements().size() + " of " + s.disagreementsTotal() + " listed; --flips N lists more)");
            }
        }
    }

    private static void row(PrintWriter out, String label, Object baseline, Object candidate) {
        out.printf("%-34s %20s %20s%n", label, baseline, candidate);
    }

    private static String score(HistoryLead.Score s) {
        return (s.mql() ? "MQL " : "-   ") + s.fit() + "/" + s.engagement() + " " + s.grade();
    }

    private static String pct(Double share) {
        return share == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    /** {@code 31.0% ≥ 25.0%} (target met) or {@code 12.5% < 25.0%}; {@code n/a} when no MQL reached sales. */
    private static String quality(BacktestResult.Quality q, boolean withMetric) {
        String value = q.met() == null ? "n/a" : pct(q.value()) + (q.met() ? " >= " : " < ") + pct(q.target());
        return withMetric ? q.metric() + " " + q.windowDays() + "d " + value : value;
    }

    private static String range(DefinitionResult d) {
        return d.quantity().min() + "-" + d.quantity().max();
    }

    private static String versions(Map<String, Long> versions) {
        List<String> parts = new ArrayList<>();
        versions.forEach((v, n) -> parts.add(v + " (" + n + ")"));
        return String.join(", ", parts);
    }

    private static String day(Instant t) {
        return t == null ? "" : LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
    }
}
