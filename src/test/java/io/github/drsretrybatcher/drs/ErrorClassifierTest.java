package io.github.drsretrybatcher.drs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorClassifierTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "403, DRS.M00100, AUTH",
        "401, DRS.M00103, AUTH",
        "403, DRS.M00102, AUTH",
        "404, DRS.M00101, AUTH",
        "400, DRS.M00105, AUTH",
        "403, DRS.M00261, AUTH",
        "400, DRS.M00007, ITEM",
        "400, DRS.M00200, ITEM",
        "400, DRS.M00201, ITEM",
        "400, DRS.M00202, ITEM",
        "400, DRS.M00301, ITEM",
        "400, DRS.M00304, ITEM",
        "400, DRS.M00307, ITEM",
        "400, DRS.M00308, ITEM",
        "400, DRS.M05003, ITEM",
        "404, DRS.M05004, ITEM",
        "422, DRS.M05004, ITEM",
        "202, DRS.M01504, TRANSIENT",
        "400, DRS.M01503, THROTTLE",
        "422, DRS.M00002, TRANSIENT",
        "500, DRS.M00004, TRANSIENT",
        "422, DRS.M01501, TRANSIENT",
        "429, APIGW.0308, THROTTLE",
        "401, APIGW.0307, TOKEN_EXPIRED",
        "401, APIGW.0301, AUTH",
        "403, APIGW.0302, AUTH",
        "403, APIGW.0306, AUTH",
        "403, APIGW.0310, AUTH",
        "502, APIGW.0201, TRANSIENT",
        "504, APIGW.0201, TRANSIENT",
        "500, APIGW.0601, TRANSIENT",
        "503, APIGW.0613, TRANSIENT",
        "500, DRS.M05003, TRANSIENT",
        "408, , TRANSIENT",
        "429, , THROTTLE",
        "503, , TRANSIENT",
        "401, , AUTH",
        "403, , AUTH",
        "400, , REQUEST",
        "400, DRS.UNKNOWN, REQUEST",
        "404, , REQUEST",
        "503, SOMETHING.NEW, TRANSIENT"
    })
    void classifies(int status, String code, ErrorClass expected) {
        assertThat(ErrorClassifier.classify(status, code)).isEqualTo(expected);
    }
}
