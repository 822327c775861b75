package dev.handoff.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.handoff.definition.Definition;
import dev.handoff.definition.DefinitionLoader;
import dev.handoff.engine.ExplanationJson;
import dev.handoff.engine.Qualification;
import dev.handoff.engine.QualificationEngine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Qualifies one lead snapshot with a definition and shows why, line by line. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Score one lead with a definition and explain the decision: every criterion, disqualifier, "
                + "activity and threshold.")
public final class ExplainCommand implements Callable<Integer> {

    /** Non-ASCII escaped so the one-line result survives any console encoding. */
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    @Spec
    CommandSpec spec;

    @Option(names = "--definition", required = true, paramLabel = "FILE", description = "The qualification definition YAML.")
    Path definition;

    @Option(names = "--lead", required = true, paramLabel = "FILE",
            description = "Lead snapshot JSON: {\"id\", \"fields\": {…}, \"activities\": [{\"type\", \"at\"}]} (see docs/definition.md).")
    Path lead;

    @Option(names = "--at", paramLabel = "ISO-8601",
            description = "Evaluate as of this time, e.g. 2026-11-21T12:00:00Z (default: now). Engagement decays up to it.")
    String at;

    @Option(names = "--json", description = "Print one JSON object on the last line instead of text.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Instant now = Instant.now();
        if (at != null) {
            now = LeadFile.parseInstant(at);
            if (now == null) {
                err.println("handoff: invalid --at \"" + at + "\": expected an ISO-8601 time like 2026-11-21T12:00:00Z");
                return HandoffCli.INVALID_INPUT;
            }
        }
        Definition d = DefinitionLoader.load(definition);
        LeadFile.Snapshot snapshot;
        try {
            snapshot = LeadFile.read(lead);
        } catch (LeadFile.InvalidLeadFile e) {
            err.println("handoff: invalid lead: " + e.getMessage());
            return HandoffCli.INVALID_INPUT;
        }
        Qualification q = new QualificationEngine(d).evaluate(snapshot.lead(), snapshot.activities(), now);
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("lead", snapshot.lead().id());
            result.put("at", now.toString());
            result.putAll(ExplanationJson.of(q));
            out.println(JSON.writeValueAsString(result));
        } else {
            out.println("Lead " + snapshot.lead().id() + " at " + now + " with " + q.definitionLabel() + ": fit " + q.fitScore()
                    + ", engagement " + q.engagementScore() + ", grade " + q.grade() + ", " + (q.mql() ? "MQL" : "not MQL"));
            out.println();
            out.print(q.explanation().fullText());
            String crm = q.explanation().shortText(ExplanationJson.SHORT_TEXT_CHARS);
            out.println();
            out.println("CRM explanation (" + crm.length() + " of " + ExplanationJson.SHORT_TEXT_CHARS + " characters):");
            out.println(crm);
        }
        out.flush();
        return HandoffCli.OK;
    }
}
