package dev.critter.invoker;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;

import dev.critter.Envelope;
import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;
import org.springframework.core.log.LogAccessor;

/**
 * Builds a {@link HandlerInvoker} for each handler method, so that calling a handler per message
 * runs no reflection. Arguments and target are checked at start-up; the invocation itself is
 * generated when the handler is first called, unless the method's package is not open to Critter
 * (a named module): then at start-up, so that a method Critter cannot reach fails start-up.
 * <p>
 * The invoker is a class generated with ASM and defined as a hidden class in the handler's
 * package ({@value HandlerInvoker#HIDDEN_CLASS}): its bytecode calls the method as hand-written
 * code would. When no class can be defined there (the handler lives in another module or class
 * loader than Critter, as with Spring Boot DevTools' restart class loader), it falls back to a
 * method handle chain built once ({@value HandlerInvoker#METHOD_HANDLE}) and logs why at DEBUG.
 * Instances hold no state and may be shared between threads.
 */
public final class InvokerFactory {

    private static final LogAccessor logger = new LogAccessor(InvokerFactory.class);

    private final boolean hiddenClasses;

    /** Creates a factory that generates hidden classes wherever it can. */
    public InvokerFactory() {
        this(true);
    }

    /**
     * Creates the factory.
     * @param hiddenClasses {@code false} to always build method handle chains, as the fallback does
     */
    InvokerFactory(boolean hiddenClasses) {
        this.hiddenClasses = hiddenClasses;
    }

    /**
     * Creates the invoker of one handler method.
     * @param method the handler method
     * @param target the handler instance (typically a Spring bean), {@code null} for a static method
     * @param arguments where each parameter's value comes from, one per parameter in order
     * @return the invoker
     * @throws IllegalArgumentException when the arguments do not fit the method, or Critter cannot
     * access the method; the message names the method and the parameter
     */
    public HandlerInvoker create(Method method, @Nullable Object target, List<ArgumentSource> arguments) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(arguments, "arguments");
        checkTarget(method, target);
        checkArguments(method, arguments);
        List<ArgumentSource> sources = List.copyOf(arguments);
        if (fallbackCannotFail(method)) {
            // Generated on the first call: defining 100 hidden classes cost 33-120 ms of an
            // application's start-up (docs/benchmarks.md), mostly for handlers that run rarely.
            // Nothing found at the first call can fail any more: the method handle fallback
            // reaches every method of a package open to Critter.
            return new HandlerInvoker(method, sources, () -> generate(method, target, sources, true));
        }
        HandlerInvoker.Generated generated = generate(method, target, sources, false);
        return new HandlerInvoker(method, generated.invocation(), generated.kind(), sources);
    }

    /**
     * Whether Critter's method handle fallback reaches the method for sure: its package is open
     * to Critter (every package on the class path is), so a private lookup in it succeeds.
     */
    private static boolean fallbackCannotFail(Method method) {
        Class<?> owner = method.getDeclaringClass();
        return owner.getModule().isOpen(owner.getPackageName(), InvokerFactory.class.getModule());
    }

    /**
     * Generates the invocation: a hidden class wherever one can be defined, else a method handle chain.
     * @param lazily whether this runs at the first call rather than at start-up: then any failure
     *               to generate the hidden class falls back to the method handle chain, never failing
     *               the message
     */
    private HandlerInvoker.Generated generate(Method method, @Nullable Object target, List<ArgumentSource> sources,
                                              boolean lazily) {
        if (hiddenClasses) {
            try {
                Invocation invocation = HiddenClassInvokerGenerator.generate(method, target, sources);
                return new HandlerInvoker.Generated(invocation, HandlerInvoker.HIDDEN_CLASS);
            } catch (IllegalAccessException | LinkageError ex) {
                logger.debug(ex, () -> "Invoker of " + InvokerSourceText.methodName(method)
                        + " is a method handle chain, not a hidden class: " + ex);
            } catch (RuntimeException ex) {
                if (!lazily) {
                    throw ex;
                }
                logger.warn(ex, () -> "Invoker of " + InvokerSourceText.methodName(method)
                        + " is a method handle chain: its hidden class could not be generated");
            }
        }
        return new HandlerInvoker.Generated(MethodHandleInvocation.create(method, target, sources),
                HandlerInvoker.METHOD_HANDLE);
    }

    private static void checkTarget(Method method, @Nullable Object target) {
        Class<?> owner = method.getDeclaringClass();
        if (Modifier.isStatic(method.getModifiers())) {
            if (target != null) {
                throw new IllegalArgumentException(InvokerSourceText.methodName(method)
                        + " is static and takes no target, but got a " + target.getClass().getName());
            }
        } else if (target == null) {
            throw new IllegalArgumentException(InvokerSourceText.methodName(method)
                    + " is an instance method and needs a target of type " + owner.getName() + ", but got null");
        } else if (!owner.isInstance(target)) {
            throw new IllegalArgumentException(InvokerSourceText.methodName(method) + " needs a target of type "
                    + owner.getName() + ", but got a " + target.getClass().getName());
        }
    }

    private static void checkArguments(Method method, List<ArgumentSource> arguments) {
        Class<?>[] types = method.getParameterTypes();
        if (arguments.size() != types.length) {
            throw new IllegalArgumentException(InvokerSourceText.methodName(method) + " has " + types.length
                    + " parameters, but " + arguments.size() + " argument sources were given: " + arguments);
        }
        for (int i = 0; i < types.length; i++) {
            String problem = problem(types[i], arguments.get(i));
            if (problem != null) {
                throw new IllegalArgumentException(InvokerSourceText.methodName(method) + ", parameter " + (i + 1)
                        + " (" + types[i].getName() + "): " + problem);
            }
        }
    }

    private static @Nullable String problem(Class<?> type, @Nullable ArgumentSource source) {
        if (source == null) {
            return "no argument source given";
        }
        if (type.isPrimitive()) {
            return "primitive parameters cannot be resolved; use " + wrapperName(type);
        }
        if (source instanceof ArgumentSource.Message) {
            return null;
        }
        Class<?> supplied = suppliedType(source);
        return type.isAssignableFrom(supplied) ? null
                : source.describe() + " is a " + supplied.getName() + ", which the parameter cannot take";
    }

    private static Class<?> suppliedType(ArgumentSource source) {
        if (source instanceof ArgumentSource.Bean bean) {
            return bean.bean().getClass();
        }
        if (source instanceof ArgumentSource.Context) {
            return MessageContext.class;
        }
        if (source instanceof ArgumentSource.EnvelopeArg) {
            return Envelope.class;
        }
        if (source instanceof ArgumentSource.Supplied supplied) {
            return supplied.type();
        }
        return String.class;
    }

    private static String wrapperName(Class<?> primitive) {
        return MethodType.methodType(primitive).wrap().returnType().getSimpleName();
    }
}
