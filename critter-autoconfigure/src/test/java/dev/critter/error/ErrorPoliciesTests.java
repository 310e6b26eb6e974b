package dev.critter.error;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.critter.ExceptionPolicy;
import dev.critter.FailureAction;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorPoliciesTests {

    @RepeatedTest(20)
    void jitterOnlyLengthensACooldownByAtMostTheRatio() {
        Duration jittered = ErrorPolicies.jittered(Duration.ofMillis(100), 0.2);
        assertThat(jittered).isBetween(Duration.ofMillis(100), Duration.ofMillis(120));
    }

    @Test
    void noJitterKeepsTheDelay() {
        assertThat(ErrorPolicies.jittered(Duration.ofMillis(100), 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(ErrorPolicies.jittered(Duration.ZERO, 0.5)).isEqualTo(Duration.ZERO);
    }

    @Test
    void eachFailedAttemptTakesTheNextStepThenTheFinalAction() {
        ExceptionPolicy policy = new ExceptionPolicy(IllegalStateException.class).retryTimes(1).then()
                .retryWithCooldown(Duration.ofMillis(10)).then().discard();
        ErrorPolicies policies = new ErrorPolicies(List.of(policy), List.of(), ErrorPolicies.defaultPolicy(List.of()));
        assertThat(policies.decide(String.class, new IllegalStateException(), 1).action().kind())
                .isEqualTo(FailureAction.Kind.RETRY);
        assertThat(policies.decide(String.class, new IllegalStateException(), 2).action().kind())
                .isEqualTo(FailureAction.Kind.RETRY_WITH_COOLDOWN);
        assertThat(policies.decide(String.class, new IllegalStateException(), 3).action().kind())
                .isEqualTo(FailureAction.Kind.DISCARD);
        assertThat(policies.decide(String.class, new IllegalArgumentException(), 1).action().kind())
                .isEqualTo(FailureAction.Kind.DEAD_LETTER);
    }

    @Test
    void aFilterNarrowsTheMatch() {
        ExceptionPolicy policy = new ExceptionPolicy(IllegalStateException.class)
                .<IllegalStateException>matching(e -> "retry me".equals(e.getMessage())).retryTimes(1);
        assertThat(policy.matches(new IllegalStateException("retry me"))).isTrue();
        assertThat(policy.matches(new RuntimeException(new IllegalStateException("retry me")))).isTrue();
        assertThat(policy.matches(new IllegalStateException("other"))).isFalse();
    }
}
