package dev.critter.handler;

import java.lang.reflect.Method;

import dev.critter.CritterConfigurationException;

/** A handler method Critter cannot call: names the class, method and parameter, and the fix. */
public class HandlerConfigurationException extends CritterConfigurationException {

    HandlerConfigurationException(String problem, String fix) {
        super(problem, fix);
    }

    static HandlerConfigurationException forParameter(Method method, int index, String problem, String fix) {
        Class<?> type = method.getParameterTypes()[index];
        return new HandlerConfigurationException(
                HandlerMethods.shortName(method) + ", parameter " + (index + 1) + " (" + type.getSimpleName() + "): "
                        + problem,
                fix + ", or mark the method @NotHandler");
    }
}
