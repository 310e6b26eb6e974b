package dev.critter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Error rules that apply only to one message type (and its subtypes); tried before global rules,
 * in the order they were declared, across all message types.
 */
public final class MessageTypePolicies {

    private final Class<?> messageType;
    private final List<ExceptionPolicy> policies = new ArrayList<>();
    /** Every message-type rule of the options, across types, in declaration order. */
    private final List<Map.Entry<Class<?>, ExceptionPolicy>> declared;

    MessageTypePolicies(Class<?> messageType, List<Map.Entry<Class<?>, ExceptionPolicy>> declared) {
        this.messageType = messageType;
        this.declared = declared;
    }

    /**
     * Adds a rule for an exception type.
     * @param exceptionType the exception type to match (or a cause of that type)
     * @return the policy to complete with actions
     */
    public ExceptionPolicy onException(Class<? extends Throwable> exceptionType) {
        ExceptionPolicy policy = new ExceptionPolicy(exceptionType);
        policies.add(policy);
        declared.add(Map.entry(messageType, policy));
        return policy;
    }

    /**
     * Returns the message type these rules apply to.
     * @return the message type these rules apply to
     */
    public Class<?> messageType() { return messageType; }

    /**
     * Returns the rules in declaration order.
     * @return the rules in declaration order
     */
    public List<ExceptionPolicy> policies() { return Collections.unmodifiableList(policies); }
}
