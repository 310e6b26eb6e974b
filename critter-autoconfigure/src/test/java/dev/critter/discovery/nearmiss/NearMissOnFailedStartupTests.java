package dev.critter.discovery.nearmiss;

import java.time.Duration;

import dev.critter.IMessageBus;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Near misses are named when Critter is built, as the scan used to run then: a start-up that
 * fails earlier, for a reason of its own, says nothing about handler methods, even though the
 * scan had started in the background when the runtime bean was created.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearMissOnFailedStartupTests {

    @Test
    void aStartUpThatFailsBeforeCritterIsBuiltNamesNoNearMiss(CapturedOutput output) {
        CritterContexts.scanning(NearMissTests.class).withUserConfiguration(FailingAfterTheBus.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessage("unrelated failure");
        });
        // The scan started with the runtime bean may outlive the failed context: wait until it is over.
        await().atMost(Duration.ofSeconds(60)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("critter-handler-scan")));

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
