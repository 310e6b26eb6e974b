package dev.critter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * What to do when a handler throws a given exception type: a list of retry steps, one per
 * failed attempt, then a final action (dead letter unless {@link #discard()} is chosen).
 * <pre>{@code
 * o.onException(SQLTransientException.class).retryTimes(2).then().retryWithCooldown(ofMillis(100), ofSeconds(1));
 * o.onException(IllegalArgumentException.class).discard();
 * }</pre>
 * An exception matches when it, or any exception in its cause chain, is an instance of the type
 * (and passes the optional filter).
 */
public final class ExceptionPolicy {

    private final Class<? extends Throwable> exceptionType;
    private @Nullable Predicate<Throwable> filter;
    private final List<FailureAction> steps = new ArrayList<>();
    private FailureAction whenExhausted = new FailureAction(FailureAction.Kind.DEAD_LETTER, Duration.ZERO);
    private double jitter = 0.2;

    /**
     * Creates a policy.
     * @param exceptionType the exception type this policy matches
     */
    public ExceptionPolicy(Class<? extends Throwable> exceptionType) {
        this.exceptionType = Objects.requireNonNull(exceptionType, "exceptionType");
    }

    /**
     * Narrows the match to exceptions of the type that pass the filter.
     * @param filter a test on the matched exception (the one of the policy's type)
     * @param <T> the exception type
     * @return this policy
     */
    @SuppressWarnings("unchecked")
    public <T extends Throwable> ExceptionPolicy matching(Predicate<T> filter) {
        this.filter = (Predicate<Throwable>) Objects.requireNonNull(filter, "filter");
        return this;
    }

    /**
     * Retries at once, up to {@code times} more attempts.
     * @param times number of retries, at least 1
     * @return this policy
     */
    public ExceptionPolicy retryTimes(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("retryTimes must be at least 1, was " + times);
        }
        for (int i = 0; i < times; i++) {
            steps.add(new FailureAction(FailureAction.Kind.RETRY, Duration.ZERO));
        }
        return this;
    }

    /**
     * Retries on the same worker after each cooldown in turn (one retry per cooldown). Each
     * cooldown is lengthened by a random jitter of up to {@link #jitter(double) 20 %}, never shortened.
     * @param cooldowns the waits before each retry
     * @return this policy
     */
    public ExceptionPolicy retryWithCooldown(Duration... cooldowns) {
        return addSteps(FailureAction.Kind.RETRY_WITH_COOLDOWN, cooldowns);
    }

    /**
     * Releases the worker and delivers the message again after each delay in turn.
     * @param delays the delays before each retry
     * @return this policy
     */
    public ExceptionPolicy scheduleRetry(Duration... delays) {
        return addSteps(FailureAction.Kind.SCHEDULE_RETRY, delays);
    }

    /**
     * Puts the message back at the end of its queue, up to 3 times.
     * @return this policy
     */
    public ExceptionPolicy requeue() {
        return requeue(3);
    }

    /**
     * Puts the message back at the end of its queue, up to {@code times} times.
     * @param times how many times, at least 1
     * @return this policy
     */
    public ExceptionPolicy requeue(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("requeue times must be at least 1, was " + times);
        }
        for (int i = 0; i < times; i++) {
            steps.add(new FailureAction(FailureAction.Kind.REQUEUE, Duration.ZERO));
        }
        return this;
    }

    /**
     * Returns this policy, to read {@code retryTimes(2).then().moveToDeadLetterQueue()}.
     * @return this policy, to read {@code retryTimes(2).then().moveToDeadLetterQueue()}
     */
    public ExceptionPolicy then() {
        return this;
    }

    /**
     * After the retry steps (or at once, when there are none), stores the message as a dead letter.
     * This is the default final action.
     * @return this policy
     */
    public ExceptionPolicy moveToDeadLetterQueue() {
        this.whenExhausted = new FailureAction(FailureAction.Kind.DEAD_LETTER, Duration.ZERO);
        return this;
    }

    /**
     * After the retry steps (or at once, when there are none), drops the message; it is logged and counted.
     * @return this policy
     */
    public ExceptionPolicy discard() {
        this.whenExhausted = new FailureAction(FailureAction.Kind.DISCARD, Duration.ZERO);
        return this;
    }

    /**
     * Sets how much cooldowns vary.
     * @param ratio how much longer than configured a cooldown may randomly be, 0 to 1 (default 0.2)
     * @return this policy
     */
    public ExceptionPolicy jitter(double ratio) {
        if (ratio < 0 || ratio > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + ratio);
        }
        this.jitter = ratio;
        return this;
    }

    private ExceptionPolicy addSteps(FailureAction.Kind kind, Duration... delays) {
        if (delays.length == 0) {
            throw new IllegalArgumentException(kind + " needs at least one duration");
        }
        for (Duration delay : delays) {
            steps.add(new FailureAction(kind, delay));
        }
        return this;
    }

    /**
     * Whether this policy applies to a failure.
     * @param failure the exception a handler threw
     * @return whether it or a cause matches the type and filter
     */
    public boolean matches(Throwable failure) {
        // Each exception is looked at once: a cause chain that loops back must not loop here.
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (exceptionType.isInstance(t) && (filter == null || filter.test(t))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The action after a failed attempt.
     * @param attempt the attempt that just failed, from 1
     * @return the retry step for that attempt, or the final action when the steps are used up
     */
    public FailureAction actionAfter(int attempt) {
        return attempt >= 1 && attempt <= steps.size() ? steps.get(attempt - 1) : whenExhausted;
    }

    /**
     * Returns the exception type matched.
     * @return the exception type matched
     */
    public Class<? extends Throwable> exceptionType() { return exceptionType; }

    /**
     * Returns the retry steps, one per failed attempt.
     * @return the retry steps, one per failed attempt
     */
    public List<FailureAction> steps() { return Collections.unmodifiableList(steps); }

    /**
     * Returns the action once the steps are used up.
     * @return the action once the steps are used up
     */
    public FailureAction whenExhausted() { return whenExhausted; }

    /**
     * Returns the cooldown jitter ratio.
     * @return the cooldown jitter ratio
     */
    public double jitter() { return jitter; }

    @Override
    public String toString() {
        return "on " + exceptionType.getSimpleName() + ": " + steps + " then " + whenExhausted.kind();
    }
}
