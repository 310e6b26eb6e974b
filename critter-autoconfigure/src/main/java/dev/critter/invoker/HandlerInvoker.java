package dev.critter.invoker;

import java.lang.reflect.Method;

import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;

/**
 * Calls one handler method for a message, through an {@link Invocation} generated once at start-up
 * by {@link InvokerFactory}, so that no reflection runs per message. Also tells how the invocation
 * was generated and shows it as readable text for diagnostics.
 */
public final class HandlerInvoker {

    /** {@link #kind()} of an invoker generated as a hidden class that calls the method directly. */
    public static final String HIDDEN_CLASS = "hidden-class";

    /** {@link #kind()} of an invoker that calls the method through a method handle chain. */
    public static final String METHOD_HANDLE = "method-handle";

    private final Method method;
    private final Invocation invocation;
    private final String kind;
    private final String sourceText;

    HandlerInvoker(Method method, Invocation invocation, String kind, String sourceText) {
        this.method = method;
        this.invocation = invocation;
        this.kind = kind;
        this.sourceText = sourceText;
    }

    /**
     * Calls the handler method.
     * @param message the message, of the handler's message parameter type
     * @param context the current message context, source of per-message arguments
     * @return the method's return value (primitives boxed), {@code null} for {@code void}
     * @throws ClassCastException when the message is not of the handler's message parameter type
     * @throws Throwable whatever the handler throws, unwrapped
     */
    public @Nullable Object invoke(Object message, MessageContext context) throws Throwable {
        return invocation.invoke(message, context);
    }

    /**
     * Returns the generated invocation this invoker delegates to.
     * @return the generated invocation this invoker delegates to
     */
    public Invocation invocation() {
        return invocation;
    }

    /**
     * Returns how the invocation was generated: {@value #HIDDEN_CLASS} or {@value #METHOD_HANDLE}.
     * @return how the invocation was generated: {@value #HIDDEN_CLASS} or {@value #METHOD_HANDLE}
     */
    public String kind() {
        return kind;
    }

    /**
     * Returns what the invocation does, as readable, source-like Java text.
     * @return what the invocation does, as readable, source-like Java text
     */
    public String sourceText() {
        return sourceText;
    }

    /**
     * Returns the handler method.
     * @return the handler method
     */
    public Method method() {
        return method;
    }

    @Override
    public String toString() {
        return "HandlerInvoker[" + InvokerSourceText.methodName(method) + ", " + kind + "]";
    }
}
