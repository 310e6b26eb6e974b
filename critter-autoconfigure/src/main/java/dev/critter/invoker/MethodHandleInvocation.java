package dev.critter.invoker;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.critter.Envelope;
import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;

/**
 * Calls one handler method through a method handle chain built once, of type
 * {@code (Object message, MessageContext context)Object}: the fallback when no hidden class can be
 * defined next to the handler. Reflection is used only to build the chain, never per message.
 */
final class MethodHandleInvocation implements Invocation {

    private static final MethodType INVOCATION_TYPE = MethodType.methodType(Object.class, Object.class, MessageContext.class);
    private static final MethodHandle ENVELOPE = findVirtual(MessageContext.class, "envelope", Envelope.class);
    private static final MethodHandle TENANT_ID = findVirtual(MessageContext.class, "tenantId", String.class);
    private static final MethodHandle HEADERS = findVirtual(Envelope.class, "headers", Map.class);
    private static final MethodHandle MAP_GET = findVirtual(Map.class, "get", Object.class, Object.class);
    private static final MethodHandle SUPPLIER_GET = findVirtual(Supplier.class, "get", Object.class);

    private final MethodHandle handle;

    private MethodHandleInvocation(MethodHandle handle) {
        this.handle = handle;
    }

    /**
     * Builds the chain for a handler method.
     * @param method the handler method
     * @param target the handler instance, {@code null} for a static method
     * @param arguments one source per parameter, already validated
     * @return the invocation
     * @throws IllegalArgumentException when Critter cannot access the method at all
     */
    static MethodHandleInvocation create(Method method, @Nullable Object target, List<ArgumentSource> arguments) {
        MethodHandle handle = unreflect(method).asFixedArity();
        if (target != null) {
            handle = handle.bindTo(target);
        }
        // asType boxes a primitive result and turns void into null
        handle = handle.asType(handle.type().changeReturnType(Object.class));
        Class<?>[] types = method.getParameterTypes();
        int perMessageArguments = 0;
        // Last parameter first, so that replacing parameter i leaves the positions of 0..i-1 alone.
        for (int i = types.length - 1; i >= 0; i--) {
            ArgumentSource source = arguments.get(i);
            if (source instanceof ArgumentSource.Bean bean) {
                handle = MethodHandles.insertArguments(handle, i, bean.bean());
            } else {
                handle = MethodHandles.collectArguments(handle, i, extractor(source, types[i]));
                perMessageArguments++;
            }
        }
        // Now (message, context, message, context, ...): route every pair to the two real arguments.
        int[] reorder = new int[2 * perMessageArguments];
        for (int i = 0; i < reorder.length; i++) {
            reorder[i] = i % 2;
        }
        return new MethodHandleInvocation(MethodHandles.permuteArguments(handle, INVOCATION_TYPE, reorder));
    }

    @Override
    public @Nullable Object invoke(Object message, MessageContext context) throws Throwable {
        return (Object) handle.invokeExact(message, context);
    }

    // A handle of type (Object message, MessageContext context)type yielding one argument.
    private static MethodHandle extractor(ArgumentSource source, Class<?> type) {
        if (source instanceof ArgumentSource.Message) {
            return MethodHandles.dropArguments(MethodHandles.identity(Object.class), 1, MessageContext.class)
                    .asType(MethodType.methodType(type, Object.class, MessageContext.class));
        }
        MethodHandle fromContext;
        if (source instanceof ArgumentSource.Context) {
            fromContext = MethodHandles.identity(MessageContext.class);
        } else if (source instanceof ArgumentSource.EnvelopeArg) {
            fromContext = ENVELOPE;
        } else if (source instanceof ArgumentSource.TenantIdArg) {
            fromContext = TENANT_ID;
        } else if (source instanceof ArgumentSource.Supplied supplied) {
            fromContext = MethodHandles.dropArguments(SUPPLIER_GET.bindTo(supplied.supplier()), 0, MessageContext.class);
        } else if (source instanceof ArgumentSource.HeaderArg header) {
            MethodHandle headers = MethodHandles.filterReturnValue(ENVELOPE, HEADERS);
            fromContext = MethodHandles.filterReturnValue(headers, MethodHandles.insertArguments(MAP_GET, 1, header.name()));
        } else {
            throw new IllegalArgumentException("Unknown argument source " + source);
        }
        return MethodHandles.dropArguments(fromContext, 0, Object.class)
                .asType(MethodType.methodType(type, Object.class, MessageContext.class));
    }

    private static MethodHandle unreflect(Method method) {
        try {
            return MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup()).unreflect(method);
        } catch (IllegalAccessException ex) {
            // The handler's module does not open its package to Critter. A public method of a
            // public class in an exported package is still reachable with Critter's own lookup.
            try {
                return MethodHandles.lookup().unreflect(method);
            } catch (IllegalAccessException notPublic) {
                throw new IllegalArgumentException("Critter cannot access handler method " + InvokerSourceText.methodName(method)
                        + ": " + ex.getMessage() + "; make the method and its class public, or open its package to Critter",
                        notPublic);
            }
        }
    }

    private static MethodHandle findVirtual(Class<?> owner, String name, Class<?> returnType, Class<?>... parameterTypes) {
        try {
            return MethodHandles.lookup().findVirtual(owner, name, MethodType.methodType(returnType, parameterTypes));
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Cannot find " + owner.getName() + "." + name, ex);
        }
    }
}
