package dev.critter.invoker;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;

/**
 * Calls one handler method for a message, through an {@link Invocation} generated once by
 * {@link InvokerFactory} (when first called, or at start-up for a package not open to Critter), so
 * that no reflection runs per message. Also tells how the invocation
 * was generated and shows it as readable text for diagnostics.
 */
public final class HandlerInvoker {

    /** {@link #kind()} of an invoker generated as a hidden class that calls the method directly. */
    public static final String HIDDEN_CLASS = "hidden-class";

    /** {@link #kind()} of an invoker that calls the method through a method handle chain. */
    public static final String METHOD_HANDLE = "method-handle";

    private final Method method;
    private final List<ArgumentSource> arguments;
    /** Set once generated; read without a lock on every call. */
    private volatile @Nullable Invocation invocation;
    // Written before invocation, read after it: published by the volatile write.
    private @Nullable String kind;
    /** Generates the invocation on the first call; {@code null} once generated. */
    private @Nullable Supplier<Generated> generator;
    // Rendered when first asked for (diagnostics, the actuator): rendering 100 invokers at start-up
    // cost a few milliseconds for text most applications never read. Same text either way.
    private volatile @Nullable String sourceText;

    HandlerInvoker(Method method, Invocation invocation, String kind, List<ArgumentSource> arguments) {
        this.method = method;
        this.arguments = arguments;
        this.kind = kind;
        this.invocation = invocation;
    }

    /** An invoker whose invocation is generated when first needed. */
    HandlerInvoker(Method method, List<ArgumentSource> arguments, Supplier<Generated> generator) {
        this.method = method;
        this.arguments = arguments;
        this.generator = generator;
    }

    /**
     * A generated invocation and how it was generated.
     * @param invocation the invocation
     * @param kind {@link #HIDDEN_CLASS} or {@link #METHOD_HANDLE}
     */
    record Generated(Invocation invocation, String kind) {
    }

    /** The invocation, generated now if this is the first need of it; once, whatever the threads. */
    private Invocation generated() {
        Invocation existing = invocation;
        return existing != null ? existing : generateOnce();
    }

    private synchronized Invocation generateOnce() {
        Invocation existing = invocation;
        if (existing != null) {
            return existing;
        }
        Generated generated = Objects.requireNonNull(generator, "generator").get();
        kind = generated.kind();
        invocation = generated.invocation();
        generator = null;
        return generated.invocation();
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
        Invocation current = invocation;
        return (current != null ? current : generateOnce()).invoke(message, context);
    }

    /**
     * Returns the generated invocation this invoker delegates to.
     * @return the generated invocation this invoker delegates to
     */
    public Invocation invocation() {
        return generated();
    }

    /**
     * Returns how the invocation was generated: {@value #HIDDEN_CLASS} or {@value #METHOD_HANDLE}.
     * @return how the invocation was generated: {@value #HIDDEN_CLASS} or {@value #METHOD_HANDLE}
     */
    public String kind() {
        generated();
        return Objects.requireNonNull(kind, "kind");
    }

    /**
     * Returns what the invocation does, as readable, source-like Java text.
     * @return what the invocation does, as readable, source-like Java text
     */
    public String sourceText() {
        String text = sourceText;
        if (text == null) {
            // Racing threads render the same immutable text; either copy may win.
            text = InvokerSourceText.render(method, arguments, kind());
            sourceText = text;
        }
        return text;
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
        return "HandlerInvoker[" + InvokerSourceText.methodName(method) + ", "
                + (invocation != null ? kind : "not generated yet") + "]";
    }
}
