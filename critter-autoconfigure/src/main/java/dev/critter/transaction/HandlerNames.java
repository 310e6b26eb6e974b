package dev.critter.transaction;

import java.lang.reflect.Method;
import java.util.StringJoiner;

/** Names a handler method in start-up errors, as the rest of Critter does: {@code OrderHandler.handle(PlaceOrder)}. */
final class HandlerNames {

    private HandlerNames() {
    }

    static String of(Class<?> handlerClass, Method method) {
        StringJoiner parameters = new StringJoiner(", ", "(", ")");
        for (Class<?> type : method.getParameterTypes()) {
            parameters.add(type.getSimpleName());
        }
        return handlerClass.getSimpleName() + "." + method.getName() + parameters;
    }
}
