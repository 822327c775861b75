package dev.handoff.marketo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.error.ErrorClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarketoErrorClassifierTest {

    @ParameterizedTest(name = "code {0} is {1}")
    @CsvSource({
            "502, TRANSIENT", "600, REAUTHENTICATE", "601, REAUTHENTICATE", "602, REAUTHENTICATE", "603, FATAL",
            "604, TRANSIENT", "605, FATAL", "606, TRANSIENT", "607, TRANSIENT", "608, TRANSIENT", "609, FATAL",
            "610, FATAL", "611, TRANSIENT", "612, FATAL", "613, FATAL", "614, TRANSIENT", "615, TRANSIENT",
            "616, FATAL", "701, PERMANENT_RECORD", "702, PERMANENT_RECORD", "704, PERMANENT_RECORD",
            "709, PERMANENT_RECORD", "713, TRANSIENT", "719, TRANSIENT", "1001, PERMANENT_RECORD",
            "1002, PERMANENT_RECORD", "1003, PERMANENT_RECORD", "1004, PERMANENT_RECORD", "1005, PERMANENT_RECORD",
            "1006, FATAL", "1007, PERMANENT_RECORD", "1008, FATAL", "1009, FATAL", "1010, PERMANENT_RECORD",
            "1011, FATAL", "1013, FATAL", "1015, PERMANENT_RECORD", "1016, TRANSIENT", "1019, TRANSIENT",
            "1029, TRANSIENT", "9999, FATAL"})
    void everyKnownCodeHasItsHandling(String code, ErrorClass expected) {
        assertThat(MarketoErrorClassifier.classify(code)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "HTTP {0} is {1}")
    @CsvSource({"401, REAUTHENTICATE", "413, FATAL", "414, FATAL", "429, TRANSIENT", "500, TRANSIENT", "502, TRANSIENT",
            "503, TRANSIENT"})
    void httpStatusesAreClassified(int status, ErrorClass expected) {
        assertThat(MarketoErrorClassifier.classifyHttpStatus(status)).isEqualTo(expected);
    }
}
