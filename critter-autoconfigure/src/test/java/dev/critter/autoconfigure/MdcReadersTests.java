package dev.critter.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which log patterns write Critter's MDC keys, for {@code critter.logging.mdc=auto}. */
class MdcReadersTests {

    @Test
    void springBootsDefaultConsolePatternWritesNoCritterKey() {
        assertThat(MdcReaders.patternReadsCritterKeys("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p 123 --- [app] "
                + "[%15.15t] %-40.40logger{39} : %m%n%wEx")).isFalse();
    }

    @Test
    void theTraceCorrelationKeysAreNotCritterKeys() {
        assertThat(MdcReaders.patternReadsCritterKeys("[%X{traceId:-},%-16X{spanId:-}] %m%n")).isFalse();
        assertThat(MdcReaders.patternReadsCritterKeys("%mdc{request} %m%n")).isFalse();
    }

    @Test
    void allEntriesOrACritterKeyAreRead() {
        assertThat(MdcReaders.patternReadsCritterKeys("%m %X%n")).isTrue();
        assertThat(MdcReaders.patternReadsCritterKeys("%m %mdc%n")).isTrue();
        assertThat(MdcReaders.patternReadsCritterKeys("%m %X{}%n")).isTrue();
        assertThat(MdcReaders.patternReadsCritterKeys("%-36X{critter.message.id} %m%n")).isTrue();
        assertThat(MdcReaders.patternReadsCritterKeys("%m %mdc{critter.tenant:-none}%n")).isTrue();
        assertThat(MdcReaders.patternReadsCritterKeys("%replace(%X{critter.handler}){'x', 'y'} %m%n")).isTrue();
    }
}
