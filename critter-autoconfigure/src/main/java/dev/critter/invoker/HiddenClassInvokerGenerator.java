package dev.critter.invoker;

import static org.springframework.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodHandles.Lookup.ClassOption;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.critter.Envelope;
import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;
import org.springframework.asm.ClassWriter;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Type;

/**
 * Generates, with Spring's repackaged ASM, a class implementing {@link Invocation} that calls one
 * handler method with plain bytecode, and defines it as a hidden class next to the handler.
 * <p>
 * The handler and its bean arguments are held in {@code static final} fields set from the hidden
 * class's class data. The JIT treats static finals as constants, so the call in {@code invoke} has
 * a known receiver and is bound and inlined like hand-written code, even when the site that calls
 * {@code invoke} sees many handlers.
 */
final class HiddenClassInvokerGenerator {

    private static final String HANDLER_FIELD = "HANDLER";
    private static final String OBJECT = Type.getInternalName(Object.class);
    private static final String CONTEXT = Type.getInternalName(MessageContext.class);
    private static final String ENVELOPE = Type.getInternalName(Envelope.class);
    private static final String MAP = Type.getInternalName(Map.class);
    private static final String STRING = Type.getInternalName(String.class);
    private static final String SUPPLIER = Type.getInternalName(Supplier.class);
    private static final String SUPPLIER_DESCRIPTOR = Type.getDescriptor(Supplier.class);
    private static final String METHOD_HANDLES = Type.getInternalName(MethodHandles.class);
    private static final String LOOKUP_DESCRIPTOR = Type.getDescriptor(MethodHandles.Lookup.class);
    private static final String INVOKE_DESCRIPTOR =
            Type.getMethodDescriptor(Type.getType(Object.class), Type.getType(Object.class), Type.getType(MessageContext.class));

    private HiddenClassInvokerGenerator() {
    }

    /**
     * Generates and instantiates the invocation of a handler method.
     * @param method the handler method
     * @param target the handler instance, {@code null} for a static method
     * @param arguments one source per parameter, already validated
     * @return the invocation, an instance of a new hidden class
     * @throws IllegalAccessException when no hidden class can be defined in the handler's package,
     * with the reason: another module or class loader, or a type the handler's class loader cannot see
     */
    static Invocation generate(Method method, @Nullable Object target, List<ArgumentSource> arguments)
            throws IllegalAccessException {
        Class<?> owner = method.getDeclaringClass();
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        if (!lookup.hasFullPrivilegeAccess()) {
            throw new IllegalAccessException(owner.getName() + " is in another module than Critter (" + owner.getModule()
                    + ", class loader " + owner.getClassLoader() + "), so no class can be defined next to it");
        }
        checkReachable(lookup, method);
        List<Object> constants = new ArrayList<>();
        if (target != null) {
            constants.add(target);
        }
        for (ArgumentSource source : arguments) {
            if (source instanceof ArgumentSource.Bean bean) {
                constants.add(bean.bean());
            } else if (source instanceof ArgumentSource.Supplied supplied) {
                constants.add(supplied.supplier());
            }
        }
        // NESTMATE gives the generated class the handler class's own access, which checkReachable verified.
        MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytecode(method, arguments), constants, true,
                ClassOption.NESTMATE);
        try {
            MethodHandle constructor = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Invocation.class));
            return (Invocation) constructor.invokeExact();
        } catch (Error ex) {
            throw ex;
        } catch (Throwable ex) {
            throw new IllegalStateException("Cannot instantiate the generated invoker of " + method, ex);
        }
    }

    // Resolution in the generated class is lazy: a type it cannot see or access would fail on the
    // first message instead of now. Checking here turns that into a start-up fallback.
    private static void checkReachable(MethodHandles.Lookup lookup, Method method) throws IllegalAccessException {
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        for (Class<?> critterType : List.of(Invocation.class, MessageContext.class, Envelope.class)) {
            if (!sameClass(critterType, loader)) {
                throw new IllegalAccessException(critterType.getName() + " as seen by the class loader of "
                        + method.getDeclaringClass().getName() + " (" + loader + ") is not Critter's");
            }
        }
        lookup.accessClass(method.getDeclaringClass());
        for (Class<?> type : method.getParameterTypes()) {
            lookup.accessClass(elementType(type));
        }
        lookup.accessClass(elementType(method.getReturnType()));
    }

    private static boolean sameClass(Class<?> type, @Nullable ClassLoader loader) {
        try {
            return Class.forName(type.getName(), false, loader) == type;
        } catch (ClassNotFoundException ex) {
            return false;
        }
    }

    private static Class<?> elementType(Class<?> type) {
        return type.isArray() ? elementType(type.getComponentType()) : type;
    }

    private static byte[] bytecode(Method method, List<ArgumentSource> arguments) {
        Class<?> owner = method.getDeclaringClass();
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        Class<?>[] types = method.getParameterTypes();
        String name = Type.getInternalName(owner) + "$$CritterInvoker$" + method.getName();
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(V17, ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, name, null, OBJECT,
                new String[] {Type.getInternalName(Invocation.class)});
        if (!isStatic) {
            writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, HANDLER_FIELD, Type.getDescriptor(owner), null, null)
                    .visitEnd();
        }
        for (int i = 0; i < types.length; i++) {
            if (arguments.get(i) instanceof ArgumentSource.Bean) {
                writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, beanField(i), Type.getDescriptor(types[i]), null, null)
                        .visitEnd();
            } else if (arguments.get(i) instanceof ArgumentSource.Supplied) {
                writer.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, beanField(i), SUPPLIER_DESCRIPTOR, null, null)
                        .visitEnd();
            }
        }
        writeStaticInitializer(writer, name, method, arguments);
        writeConstructor(writer);
        writeInvoke(writer, name, method, arguments);
        writer.visitEnd();
        return writer.toByteArray();
    }

    // static { Lookup lookup = MethodHandles.lookup(); HANDLER = (Owner) classDataAt(lookup, "_", Object.class, 0); ... }
    private static void writeStaticInitializer(ClassWriter writer, String name, Method method,
                                               List<ArgumentSource> arguments) {
        MethodVisitor code = writer.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        code.visitCode();
        code.visitMethodInsn(INVOKESTATIC, METHOD_HANDLES, "lookup", "()" + LOOKUP_DESCRIPTOR, false);
        code.visitVarInsn(ASTORE, 0);
        int index = 0;
        if (!Modifier.isStatic(method.getModifiers())) {
            loadClassData(code, index++, method.getDeclaringClass());
            code.visitFieldInsn(PUTSTATIC, name, HANDLER_FIELD, Type.getDescriptor(method.getDeclaringClass()));
        }
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            if (arguments.get(i) instanceof ArgumentSource.Bean) {
                loadClassData(code, index++, types[i]);
                code.visitFieldInsn(PUTSTATIC, name, beanField(i), Type.getDescriptor(types[i]));
            } else if (arguments.get(i) instanceof ArgumentSource.Supplied) {
                loadClassData(code, index++, Supplier.class);
                code.visitFieldInsn(PUTSTATIC, name, beanField(i), SUPPLIER_DESCRIPTOR);
            }
        }
        code.visitInsn(RETURN);
        code.visitMaxs(0, 0);
        code.visitEnd();
    }

    private static void loadClassData(MethodVisitor code, int index, Class<?> type) {
        code.visitVarInsn(ALOAD, 0);
        code.visitLdcInsn("_");
        code.visitLdcInsn(Type.getType(Object.class));
        code.visitLdcInsn(index);
        code.visitMethodInsn(INVOKESTATIC, METHOD_HANDLES, "classDataAt",
                "(" + LOOKUP_DESCRIPTOR + "Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);
        code.visitTypeInsn(CHECKCAST, Type.getInternalName(type));
    }

    private static void writeConstructor(ClassWriter writer) {
        MethodVisitor code = writer.visitMethod(0, "<init>", "()V", null, null);
        code.visitCode();
        code.visitVarInsn(ALOAD, 0);
        code.visitMethodInsn(INVOKESPECIAL, OBJECT, "<init>", "()V", false);
        code.visitInsn(RETURN);
        code.visitMaxs(0, 0);
        code.visitEnd();
    }

    // public Object invoke(Object message, MessageContext context) { return HANDLER.handle((M) message, ARG1, ...); }
    // Locals: 0 = this, 1 = message, 2 = context. Straight-line code, so no stack map frames are needed.
    private static void writeInvoke(ClassWriter writer, String name, Method method, List<ArgumentSource> arguments) {
        Class<?> owner = method.getDeclaringClass();
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        MethodVisitor code = writer.visitMethod(ACC_PUBLIC | ACC_FINAL, "invoke", INVOKE_DESCRIPTOR, null, null);
        code.visitCode();
        if (!isStatic) {
            code.visitFieldInsn(GETSTATIC, name, HANDLER_FIELD, Type.getDescriptor(owner));
        }
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            loadArgument(code, name, i, types[i], arguments.get(i));
        }
        String ownerName = Type.getInternalName(owner);
        String descriptor = Type.getMethodDescriptor(method);
        if (isStatic) {
            code.visitMethodInsn(INVOKESTATIC, ownerName, method.getName(), descriptor, owner.isInterface());
        } else if (owner.isInterface()) {
            code.visitMethodInsn(INVOKEINTERFACE, ownerName, method.getName(), descriptor, true);
        } else {
            code.visitMethodInsn(INVOKEVIRTUAL, ownerName, method.getName(), descriptor, false);
        }
        Class<?> returnType = method.getReturnType();
        if (returnType == void.class) {
            code.visitInsn(ACONST_NULL);
        } else if (returnType.isPrimitive()) {
            Class<?> wrapper = MethodType.methodType(returnType).wrap().returnType();
            code.visitMethodInsn(INVOKESTATIC, Type.getInternalName(wrapper), "valueOf",
                    "(" + Type.getDescriptor(returnType) + ")" + Type.getDescriptor(wrapper), false);
        }
        code.visitInsn(ARETURN);
        code.visitMaxs(0, 0);
        code.visitEnd();
    }

    private static void loadArgument(MethodVisitor code, String name, int index, Class<?> type, ArgumentSource source) {
        if (source instanceof ArgumentSource.Message) {
            code.visitVarInsn(ALOAD, 1);
            if (type != Object.class) {
                code.visitTypeInsn(CHECKCAST, Type.getInternalName(type));
            }
        } else if (source instanceof ArgumentSource.Bean) {
            code.visitFieldInsn(GETSTATIC, name, beanField(index), Type.getDescriptor(type));
        } else if (source instanceof ArgumentSource.Supplied) {
            code.visitFieldInsn(GETSTATIC, name, beanField(index), SUPPLIER_DESCRIPTOR);
            code.visitMethodInsn(INVOKEINTERFACE, SUPPLIER, "get", "()Ljava/lang/Object;", true);
            code.visitTypeInsn(CHECKCAST, Type.getInternalName(type));
        } else if (source instanceof ArgumentSource.Context) {
            code.visitVarInsn(ALOAD, 2);
        } else if (source instanceof ArgumentSource.EnvelopeArg) {
            loadEnvelope(code);
        } else if (source instanceof ArgumentSource.TenantIdArg) {
            code.visitVarInsn(ALOAD, 2);
            code.visitMethodInsn(INVOKEINTERFACE, CONTEXT, "tenantId", "()Ljava/lang/String;", true);
        } else if (source instanceof ArgumentSource.HeaderArg header) {
            loadEnvelope(code);
            code.visitMethodInsn(INVOKEVIRTUAL, ENVELOPE, "headers", "()Ljava/util/Map;", false);
            code.visitLdcInsn(header.name());
            code.visitMethodInsn(INVOKEINTERFACE, MAP, "get", "(Ljava/lang/Object;)Ljava/lang/Object;", true);
            code.visitTypeInsn(CHECKCAST, STRING);
        } else {
            throw new IllegalArgumentException("Unknown argument source " + source);
        }
    }

    private static void loadEnvelope(MethodVisitor code) {
        code.visitVarInsn(ALOAD, 2);
        code.visitMethodInsn(INVOKEINTERFACE, CONTEXT, "envelope", "()L" + ENVELOPE + ";", true);
    }

    private static String beanField(int index) {
        return "ARG" + index;
    }
}
