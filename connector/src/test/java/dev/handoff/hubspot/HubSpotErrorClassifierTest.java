package dev.handoff.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.error.ErrorClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HubSpotErrorClassifierTest {

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"400, FATAL", "401, FATAL", "403, FATAL", "404, FATAL", "408, TRANSIENT", "409, FATAL", "413, FATAL",
            "414, FATAL", "429, TRANSIENT", "500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT", "504, TRANSIENT",
            "599, TRANSIENT"})
    void everyHttpStatusHasItsHandling(int status, ErrorClass expected) {
        assertThat(HubSpotErrorClassifier.classifyStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "category {0} is {1}")
    @CsvSource({"OBJECT_NOT_FOUND, PERMANENT_RECORD", "VALIDATION_ERROR, PERMANENT_RECORD", "INVALID_EMAIL, PERMANENT_RECORD",
            "CONFLICT, PERMANENT_RECORD", "PROPERTY_DOESNT_EXIST, FATAL", "READ_ONLY_VALUE, FATAL",
            "INVALID_AUTHENTICATION, FATAL", "MISSING_SCOPES, FATAL", "RATE_LIMITS, TRANSIENT", "RATE_LIMIT, TRANSIENT",
            "LOCKED, TRANSIENT", "INTERNAL_ERROR, TRANSIENT", "SERVICE_UNAVAILABLE, TRANSIENT",
            "SOMETHING_NEW, PERMANENT_RECORD"})
    void everyBatchErrorCategoryHasItsHandling(String category, ErrorClass expected) {
        assertThat(HubSpotErrorClassifier.classifyCategory(category)).isEqualTo(expected);
    }
}
