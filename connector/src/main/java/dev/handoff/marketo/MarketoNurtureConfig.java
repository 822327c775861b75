package dev.handoff.marketo;

import dev.handoff.config.ConfigException;
import dev.handoff.config.Settings;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Where rejected leads go in Marketo, read from {@code handoff.marketo.recycle.*} and
 * {@code handoff.marketo.disqualified-field}, validated at startup. A recycled lead joins one static
 * list or is requested into one campaign, never both; with neither, the ledger still records when
 * each lead is due, and nothing is sent.
 *
 * @param disqualifiedField boolean lead field set true when sales' reason disqualifies the lead
 */
public record MarketoNurtureConfig(OptionalInt listId, OptionalInt campaignId, String disqualifiedField) {

    public static final String LIST_KEY = "handoff.marketo.recycle.list-id";
    public static final String CAMPAIGN_KEY = "handoff.marketo.recycle.campaign-id";
    public static final String FIELD_KEY = "handoff.marketo.disqualified-field";
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    public static MarketoNurtureConfig from(Settings s) {
        return new MarketoNurtureConfig(id(s, LIST_KEY), id(s, CAMPAIGN_KEY), s.string(FIELD_KEY, "handoffDisqualified"));
    }

    public MarketoNurtureConfig {
        if (listId.isPresent() && campaignId.isPresent()) {
            throw new ConfigException(CAMPAIGN_KEY, "set either " + LIST_KEY + " or " + CAMPAIGN_KEY + ", not both");
        }
        if (!FIELD_NAME.matcher(disqualifiedField).matches()) {
            throw new ConfigException(FIELD_KEY, "'" + disqualifiedField + "' is not a Marketo REST field name");
        }
    }

    /** True when recycled leads are sent somewhere. */
    public boolean recycles() {
        return listId.isPresent() || campaignId.isPresent();
    }

    /** "static list 1042", "campaign 7", or empty. */
    public Optional<String> target() {
        if (listId.isPresent()) {
            return Optional.of("static list " + listId.getAsInt());
        }
        return campaignId.isPresent() ? Optional.of("campaign " + campaignId.getAsInt()) : Optional.empty();
    }

    private static OptionalInt id(Settings s, String key) {
        return s.optional(key).isEmpty() ? OptionalInt.empty() : OptionalInt.of(s.integer(key, 0, 1, Integer.MAX_VALUE));
    }
}
