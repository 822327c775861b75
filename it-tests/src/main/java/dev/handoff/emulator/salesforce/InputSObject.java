package dev.handoff.emulator.salesforce;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * An sObject as it arrived on the wire: raw text values keyed by the field name the client used.
 *
 * @param id the {@code Id} element, null when absent or empty
 */
record InputSObject(String type, List<String> fieldsToNull, String id, LinkedHashMap<String, String> values) {
}
