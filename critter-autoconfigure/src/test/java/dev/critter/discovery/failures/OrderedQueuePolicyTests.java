package dev.critter.discovery.failures;

import java.io.IOException;
import java.time.Duration;

import dev.critter.CritterConfigurationException;
import dev.critter.CritterConfigurer;
import dev.critter.discovery.failures.queues.JobHandler.Job;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.critter.support.StartupFailures.configurationFailure;
import static org.assertj.core.api.Assertions.assertThat;

/** Error rules that would break the order a sequential or partitioned queue promises fail start-up. */
class OrderedQueuePolicyTests {

    private static ApplicationContextRunner scanning(CritterConfigurer configurer) {
        return CritterContexts.scanning(OrderedQueuePolicyTests.class)
                .withPropertyValues("critter.handlers.base-packages=dev.critter.discovery.failures.queues")
                .withBean(CritterConfigurer.class, () -> configurer);
    }

    @Test
    void aRequeueRuleForAMessageOnASequentialQueueFailsStartUpNamingQueueRuleAndFix() {
        scanning(o -> {
            o.localQueue("job").sequential();
            o.forMessage(Job.class).onException(IOException.class).requeue();
        }).run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).contains("'job'").contains("sequential").contains("requeue")
                    .contains("IOException").contains(Job.class.getName());
            assertThat(failure.fix()).contains("retryTimes").contains("retryWithCooldown");
        });
    }

    @Test
    void aGlobalScheduleRetryRuleFailsStartUpWhenAPartitionedQueueExists() {
        scanning(o -> {
            o.localQueue("job").partitionedBy(Job.class, Job::id);
            o.onException(IOException.class).retryTimes(1).then().scheduleRetry(Duration.ofSeconds(5));
        }).run(context -> {
            CritterConfigurationException failure = configurationFailure(context);
            assertThat(failure.getMessage()).contains("'job'").contains("partitioned").contains("scheduleRetry");
        });
    }

    @Test
    void cooldownsOnASequentialQueueAndRequeuesOnAnUnorderedOneStart() {
        scanning(o -> {
            o.localQueue("job").sequential();
            o.onException(IOException.class).retryWithCooldown(Duration.ofMillis(10)).then().discard();
        }).run(context -> assertThat(context).hasNotFailed());
        scanning(o -> o.onException(IOException.class).requeue())
                .run(context -> assertThat(context).hasNotFailed());
    }
}
