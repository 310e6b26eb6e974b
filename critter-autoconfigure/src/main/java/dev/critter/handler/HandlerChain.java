package dev.critter.handler;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.stream.Stream;

import dev.critter.MessageContext;
import dev.critter.OutgoingMessage;
import dev.critter.OutgoingMessages;
import dev.critter.invoker.ArgumentSource;
import dev.critter.invoker.HandlerInvoker;
import dev.critter.transaction.HandlerTransaction;

import org.jspecify.annotations.Nullable;

/**
 * One handler method bound to its generated invoker: what runs for a message of its type.
 */
public final class HandlerChain {

    private final String id;
    private final Class<?> handlerClass;
    private final Class<?> messageClass;
    private final String messageTypeName;
    private final Method method;
    private final HandlerInvoker invoker;
    private final List<ArgumentSource> arguments;
    private final String targetDescription;
    private final HandlerDescriptor descriptor;
    private final @Nullable HandlerTransaction transaction;

    HandlerChain(Class<?> handlerClass, Class<?> messageClass, String messageTypeName, Method method,
                 HandlerInvoker invoker, List<ArgumentSource> arguments, String targetDescription,
                 @Nullable HandlerTransaction transaction) {
        // Named after the discovered handler class, not the method's declaring class: two handler
        // classes inheriting one method from a common base are two chains with two ids.
        this.id = HandlerMethods.chainId(handlerClass, method);
        this.handlerClass = handlerClass;
        this.messageClass = messageClass;
        this.messageTypeName = messageTypeName;
        this.method = method;
        this.invoker = invoker;
        this.arguments = List.copyOf(arguments);
        this.targetDescription = targetDescription;
        this.transaction = transaction;
        this.descriptor = new HandlerDescriptor(id, handlerClass, messageClass, messageTypeName,
                HandlerMethods.shortName(handlerClass, method));
    }

    /**
     * Calls the handler.
     * @param message the message
     * @param context the current context
     * @return the handler's return value, {@code null} for {@code void}
     * @throws Throwable what the handler threw
     */
    public @Nullable Object invoke(Object message, MessageContext context) throws Throwable {
        return invoker.invoke(message, context);
    }

    /**
     * @return a stable id, unique per handler method and the same after a restart, e.g.
     * {@code com.acme.OrderHandler#handle(com.acme.PlaceOrder, dev.critter.MessageContext)}:
     * requeued, scheduled and dead-lettered messages store it
     */
    public String id() { return id; }

    /**
     * Returns what observers may know of this chain: its identity, without the means to call it.
     * @return what observers may know of this chain: its identity, without the means to call it
     */
    public HandlerDescriptor descriptor() { return descriptor; }

    /**
     * Returns the transaction each attempt runs in, decided at start-up (SPEC §2 "Transactions").
     * @return the transaction each attempt runs in, or {@code null} when the handler runs without one
     */
    public @Nullable HandlerTransaction transaction() { return transaction; }

    /**
     * Returns the transaction each attempt runs in, in words.
     * @return e.g. {@code PROPAGATION_REQUIRED,ISOLATION_DEFAULT on 'transactionManager' (JdbcTransactionManager),
     *         because parameter 2 is a JdbcTemplate}, or {@code none}
     */
    public String transactionDescription() {
        return transaction == null ? "none" : transaction.describe();
    }

    /**
     * Returns the discovered handler class (the method may be inherited from a superclass).
     * @return the discovered handler class (the method may be inherited from a superclass)
     */
    public Class<?> handlerClass() { return handlerClass; }

    /**
     * Returns the handled type (the first parameter's type).
     * @return the handled type (the first parameter's type)
     */
    public Class<?> messageClass() { return messageClass; }

    /**
     * Returns the handled type's message type name.
     * @return the handled type's message type name
     */
    public String messageTypeName() { return messageTypeName; }

    /**
     * Returns the handler method.
     * @return the handler method
     */
    public Method method() { return method; }

    /**
     * Returns e.g. {@code OrderHandler.handle(PlaceOrder)}.
     * @return e.g. {@code OrderHandler.handle(PlaceOrder)}
     */
    public String shortName() { return descriptor.shortName(); }

    /**
     * Returns whether the handler returns a future whose result cascades.
     * @return whether the handler returns a future whose result cascades
     */
    public boolean isAsync() { return HandlerMethods.isAsync(method); }

    /**
     * Returns the generated invoker.
     * @return the generated invoker
     */
    public HandlerInvoker invoker() { return invoker; }

    /**
     * Returns how each parameter is resolved.
     * @return how each parameter is resolved
     */
    public List<String> parameterDescriptions() {
        Class<?>[] types = method.getParameterTypes();
        return Stream.iterate(0, i -> i < types.length, i -> i + 1)
                .map(i -> types[i].getSimpleName() + ": " + arguments.get(i).describe())
                .toList();
    }

    /**
     * Returns where the handler instance comes from.
     * @return where the handler instance comes from
     */
    public String targetDescription() { return targetDescription; }

    /**
     * Returns what the return value publishes, in words.
     * @return what the return value publishes, in words
     */
    public String cascadeDescription() {
        return describeReturn(method.getGenericReturnType(), method.getReturnType());
    }

    /**
     * Returns the invoker as readable text.
     * @return the invoker as readable text, with where the handler comes from and what cascades
     */
    public String sourceText() {
        return invoker.sourceText() + "// handler instance: " + targetDescription + "\n// transaction: "
                + transactionDescription() + "\n// cascades: " + cascadeDescription() + "\n";
    }

    private static String describeReturn(Type generic, Class<?> raw) {
        if (raw == void.class || raw == Void.class) {
            return "nothing";
        }
        if (raw == OutgoingMessages.class) {
            return "each listed message, with its options";
        }
        if (raw == OutgoingMessage.class) {
            return "the wrapped message, delayed or scheduled";
        }
        if (java.util.concurrent.CompletionStage.class.isAssignableFrom(raw)) {
            return "when the future completes: " + describeTypeArgument(generic);
        }
        if (Iterable.class.isAssignableFrom(raw) || Stream.class.isAssignableFrom(raw)) {
            return "each element (" + describeTypeArgument(generic) + ")";
        }
        if (raw.isArray()) {
            return "each element (" + raw.getComponentType().getSimpleName() + ")";
        }
        if (raw == Object.class) {
            return "the returned object(s), whatever their type";
        }
        return "the returned " + raw.getSimpleName() + " (unless it is the response of invoke(message, "
                + raw.getSimpleName() + ".class))";
    }

    private static String describeTypeArgument(Type generic) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments().length == 1) {
            Type arg = p.getActualTypeArguments()[0];
            return arg instanceof Class<?> c ? c.getSimpleName() : arg.getTypeName();
        }
        return "Object";
    }

    @Override
    public String toString() {
        return shortName();
    }
}
