package dev.handoff.emulator.salesforce;

import java.util.List;

/** A per-record {@code Error{fields*, message, statusCode}}; statusCode is always a WSDL StatusCode value. */
record RecordError(List<String> fields, String message, String statusCode) {
}
