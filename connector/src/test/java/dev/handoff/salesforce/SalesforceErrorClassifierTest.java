package dev.handoff.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.error.ErrorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SalesforceErrorClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "INVALID_SESSION_ID, REAUTHENTICATE", "REQUEST_LIMIT_EXCEEDED, TRANSIENT", "SERVER_UNAVAILABLE, TRANSIENT",
            "UNABLE_TO_LOCK_ROW, TRANSIENT", "UNKNOWN_EXCEPTION, TRANSIENT", "INVALID_QUERY_LOCATOR, TRANSIENT",
            "INVALID_EMAIL_ADDRESS, PERMANENT_RECORD", "REQUIRED_FIELD_MISSING, PERMANENT_RECORD",
            "STRING_TOO_LONG, PERMANENT_RECORD", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, PERMANENT_RECORD",
            "FIELD_CUSTOM_VALIDATION_EXCEPTION, PERMANENT_RECORD", "DUPLICATES_DETECTED, PERMANENT_RECORD",
            "DUPLICATE_VALUE, PERMANENT_RECORD", "DUPLICATE_EXTERNAL_ID, PERMANENT_RECORD",
            "ENTITY_IS_DELETED, PERMANENT_RECORD", "INVALID_TYPE_ON_FIELD_IN_RECORD, PERMANENT_RECORD",
            "INVALID_FIELD_FOR_INSERT_UPDATE, PERMANENT_RECORD", "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY, PERMANENT_RECORD",
            "INSUFFICIENT_ACCESS_OR_READONLY, PERMANENT_RECORD", "INVALID_FIELD, FATAL", "INVALID_TYPE, FATAL",
            "MALFORMED_QUERY, FATAL", "INVALID_LOGIN, FATAL", "INSUFFICIENT_ACCESS, FATAL", "API_DISABLED_FOR_ORG, FATAL",
            "EXCEEDED_ID_LIMIT, FATAL", "SOMETHING_NEW, PERMANENT_RECORD"})
    void everyKnownCodeHasItsHandling(String code, ErrorClass expected) {
        assertThat(SalesforceErrorClassifier.classify(code)).isEqualTo(expected);
    }

    @Test
    void triggerFailureWrappingARowLockIsRetried() {
        assertThat(SalesforceErrorClassifier.classify("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY",
                "LeadTrigger: execution of AfterUpdate caused by: System.DmlException: UNABLE_TO_LOCK_ROW"))
                .isEqualTo(ErrorClass.TRANSIENT);
        assertThat(SalesforceErrorClassifier.classify("CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "Flow failed: bad value"))
                .isEqualTo(ErrorClass.PERMANENT_RECORD);
    }
}
