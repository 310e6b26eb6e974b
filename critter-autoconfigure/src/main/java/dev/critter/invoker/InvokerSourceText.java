package dev.critter.invoker;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * Renders what an invoker does as source-like Java text, statement by statement in the order the
 * generated code runs them, so diagnostics can show it to a reader.
 */
final class InvokerSourceText {

    private InvokerSourceText() {
    }

    /**
     * Renders the invocation of a handler method.
     * @param method the handler method
     * @param arguments one source per parameter, already validated
     * @param kind {@link HandlerInvoker#HIDDEN_CLASS} or {@link HandlerInvoker#METHOD_HANDLE}
     * @return the text, one statement per line
     */
    static String render(Method method, List<ArgumentSource> arguments, String kind) {
        Class<?> owner = method.getDeclaringClass();
        boolean isStatic = Modifier.isStatic(method.getModifiers());
        Class<?>[] types = method.getParameterTypes();
        List<Line> body = new ArrayList<>();
        if (!isStatic) {
            body.add(new Line(simpleName(owner) + " handler = HANDLER;",
                    owner.isInterface() ? "the handler, called through its interface" : "the handler"));
        }
        StringJoiner callArguments = new StringJoiner(", ");
        boolean messageNamed = false;
        for (int i = 0; i < types.length; i++) {
            ArgumentSource source = arguments.get(i);
            String type = simpleName(types[i]);
            if (source instanceof ArgumentSource.Context) {
                callArguments.add("context");
                continue;
            }
            String variable = (source instanceof ArgumentSource.Message && !messageNamed) ? "m" : "arg" + i;
            messageNamed |= source instanceof ArgumentSource.Message;
            body.add(new Line(type + " " + variable + " = " + expression(source, i, type) + ";", source.describe()));
            callArguments.add(variable);
        }
        String call = (isStatic ? simpleName(owner) : "handler") + "." + method.getName() + "(" + callArguments + ")";
        Class<?> returnType = method.getReturnType();
        if (returnType == void.class) {
            body.add(new Line(call + ";", "returns void"));
            body.add(new Line("return null;", null));
        } else if (returnType.isPrimitive()) {
            String wrapper = MethodType.methodType(returnType).wrap().returnType().getSimpleName();
            body.add(new Line("return " + wrapper + ".valueOf(" + call + ");", "returns " + returnType + ", boxed"));
        } else {
            body.add(new Line("return " + call + ";", "returns " + simpleName(returnType)));
        }
        StringBuilder text = new StringBuilder();
        text.append("// Invoker for ").append(methodName(method)).append(" [").append(kind).append("]\n");
        if (HandlerInvoker.METHOD_HANDLE.equals(kind)) {
            text.append("// a method handle chain (handler bound, beans inserted, the other arguments taken from")
                    .append(" message and context) that does:\n");
        }
        text.append("public Object invoke(Object message, MessageContext context) {\n");
        int width = body.stream().mapToInt(line -> line.code().length()).max().orElse(0);
        for (Line line : body) {
            text.append("    ").append(line.code());
            if (line.comment() != null) {
                text.append(" ".repeat(width - line.code().length() + 2)).append("// ").append(line.comment());
            }
            text.append('\n');
        }
        return text.append("}\n").toString();
    }

    /**
     * Names a method as the invoker text shows it.
     * @param method a method
     * @return its qualified name with parameter simple names, e.g. {@code com.acme.OrderHandler.handle(PlaceOrder)}
     */
    static String methodName(Method method) {
        StringJoiner parameters = new StringJoiner(", ", "(", ")");
        for (Class<?> type : method.getParameterTypes()) {
            parameters.add(simpleName(type));
        }
        return qualifiedName(method.getDeclaringClass()) + "." + method.getName() + parameters;
    }

    private static String expression(ArgumentSource source, int index, String type) {
        if (source instanceof ArgumentSource.Message) {
            return "Object".equals(type) ? "message" : "(" + type + ") message";
        }
        if (source instanceof ArgumentSource.Bean) {
            return "ARG" + index;
        }
        if (source instanceof ArgumentSource.Supplied) {
            return "(" + type + ") ARG" + index + ".get()";
        }
        if (source instanceof ArgumentSource.EnvelopeArg) {
            return "context.envelope()";
        }
        if (source instanceof ArgumentSource.TenantIdArg) {
            return "context.tenantId()";
        }
        if (source instanceof ArgumentSource.HeaderArg header) {
            return "context.envelope().headers().get(\"" + escape(header.name()) + "\")";
        }
        return "context";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    // Names are derived from Class.getName() rather than getSimpleName() or getCanonicalName(): those
    // read the InnerClasses attribute and fail for a nested class loaded apart from its outer class.
    private static String qualifiedName(Class<?> type) {
        if (type.isArray()) {
            return qualifiedName(type.getComponentType()) + "[]";
        }
        return type.getName().replace('$', '.');
    }

    private static String simpleName(Class<?> type) {
        if (type.isArray()) {
            return simpleName(type.getComponentType()) + "[]";
        }
        if (type.isPrimitive()) {
            return type.getName();
        }
        String packageName = type.getPackageName();
        String name = packageName.isEmpty() ? type.getName() : type.getName().substring(packageName.length() + 1);
        return name.replace('$', '.');
    }

    private record Line(String code, @Nullable String comment) {
    }
}
