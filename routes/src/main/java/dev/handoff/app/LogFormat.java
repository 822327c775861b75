package dev.handoff.app;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The log format logback.xml selects its appender by: {@code json} when {@code HANDOFF_LOG_FORMAT}
 * says so in any case, otherwise {@code text}. An unknown value falls back to text with a line on
 * stderr, so a typo never silences the logs.
 */
public final class LogFormat extends PropertyDefinerBase {

    @Override
    public String getPropertyValue() {
        return of(System.getenv("HANDOFF_LOG_FORMAT"));
    }

    static String of(String setting) {
        if (setting == null || setting.isBlank()) {
            return "text";
        }
        String s = setting.trim().toLowerCase(Locale.ROOT);
        if (s.equals("json") || s.equals("text")) {
            return s;
        }
        System.err.println("handoff: HANDOFF_LOG_FORMAT='" + setting + "' is not json or text; logging as text");
        return "text";
    }
}
