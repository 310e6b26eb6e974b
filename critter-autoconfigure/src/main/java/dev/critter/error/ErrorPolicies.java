package dev.critter.error;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.critter.ExceptionPolicy;
import dev.critter.FailureAction;

/**
 * Chooses what happens after a failed attempt: the first matching rule wins, message-type rules
 * (for the message's type or any supertype, in declaration order across types) before global
 * ones (in declaration order); when nothing matches, the default policy applies.
 */
public final class ErrorPolicies {

    private final List<ExceptionPolicy> global;
    private final List<Map.Entry<Class<?>, ExceptionPolicy>> perType;
    private final ExceptionPolicy fallback;
    private final ClassValue<List<ExceptionPolicy>> byMessageClass = new ClassValue<>() {
        @Override
        protected List<ExceptionPolicy> computeValue(Class<?> messageClass) {
            List<ExceptionPolicy> rules = new ArrayList<>();
            for (Map.Entry<Class<?>, ExceptionPolicy> rule : perType) {
                if (rule.getKey().isAssignableFrom(messageClass)) {
                    rules.add(rule.getValue());
                }
            }
            rules.addAll(global);
            return List.copyOf(rules);
        }
    };

    /**
     * Creates the policies.
     * @param global global rules in declaration order
     * @param perType message-type rules with their type, in declaration order across types
     * @param fallback the policy when no rule matches
     */
    public ErrorPolicies(List<ExceptionPolicy> global, List<Map.Entry<Class<?>, ExceptionPolicy>> perType,
                         ExceptionPolicy fallback) {
        this.global = List.copyOf(global);
        this.perType = List.copyOf(perType);
        this.fallback = fallback;
    }

    /**
     * The default policy: one retry per cooldown (jittered), then dead letter.
     * @param cooldowns the cooldowns, e.g. 50ms and 100ms for 3 attempts in all
     * @return the policy
     */
    public static ExceptionPolicy defaultPolicy(List<Duration> cooldowns) {
        ExceptionPolicy policy = new ExceptionPolicy(Throwable.class);
        if (!cooldowns.isEmpty()) {
            policy.retryWithCooldown(cooldowns.toArray(Duration[]::new));
        }
        return policy.moveToDeadLetterQueue();
    }

    /**
     * Decides what happens after a failed attempt.
     * @param messageClass the failed message's class
     * @param failure what the handler threw
     * @param attempt the attempt that failed, from 1
     * @return the action, with its delay already jittered
     */
    public FailureDecision decide(Class<?> messageClass, Throwable failure, int attempt) {
        ExceptionPolicy policy = fallback;
        for (ExceptionPolicy candidate : byMessageClass.get(messageClass)) {
            if (candidate.matches(failure)) {
                policy = candidate;
                break;
            }
        }
        FailureAction action = policy.actionAfter(attempt);
        return new FailureDecision(action, jittered(action.delay(), policy.jitter()), policy);
    }

    /**
     * Lengthens a delay by a random share of up to {@code jitter}; never shortens it, so a
     * configured cooldown is a minimum. Spreading retries keeps many failing messages from
     * hitting a recovering dependency at the same instant.
     */
    static Duration jittered(Duration delay, double jitter) {
        if (delay.isZero() || jitter == 0) {
            return delay;
        }
        long nanos = delay.toNanos();
        long extra = (long) (nanos * jitter * ThreadLocalRandom.current().nextDouble());
        return Duration.ofNanos(nanos + extra);
    }

    /**
     * The outcome of {@link #decide}.
     * @param action the step to take
     * @param delay the jittered delay for cooldowns and scheduled retries
     * @param policy the rule that matched (or the default)
     */
    public record FailureDecision(FailureAction action, Duration delay, ExceptionPolicy policy) {
    }

    /**
     * Describes the rules for diagnostics, in the order they are tried.
     * @return one line per rule: message-type rules, then global ones, then the default policy
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Class<?>, ExceptionPolicy> rule : perType) {
            lines.add(rule.getKey().getName() + ": " + describe(rule.getValue()));
        }
        global.forEach(p -> lines.add("any message: " + describe(p)));
        lines.add("default: " + describe(fallback));
        return lines;
    }

    private static String describe(ExceptionPolicy policy) {
        StringBuilder text = new StringBuilder("on ").append(policy.exceptionType().getName()).append(": ");
        for (FailureAction step : policy.steps()) {
            text.append(describe(step)).append(", ");
        }
        return text.append(policy.steps().isEmpty() ? "" : "then ").append(describe(policy.whenExhausted())).toString();
    }

    private static String describe(FailureAction action) {
        String kind = action.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return action.delay().isZero() ? kind : kind + " " + action.delay().toMillis() + "ms";
    }
}
