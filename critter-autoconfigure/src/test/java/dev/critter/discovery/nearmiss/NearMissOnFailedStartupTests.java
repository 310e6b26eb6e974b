package dev.critter.discovery.nearmiss;

import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Near misses are named when Critter is built: a start-up that fails earlier, for a reason of its
 * own, says nothing about handler methods.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearMissOnFailedStartupTests {

    @Test
    void aStartUpThatFailsBeforeCritterIsBuiltNamesNoNearMiss(CapturedOutput output) {
        CritterContexts.scanning(NearMissTests.class).withUserConfiguration(FailingAfterTheBus.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("unrelated failure");
        });
        assertThat(output).doesNotContain("ForgottenHandler.handle(Forgotten) is not public");
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingAfterTheBus {

        @Bean
        Object failsOnceTheBusExists(IMessageBus bus) {
            throw new IllegalStateException("unrelated failure");
        }
    }
}
