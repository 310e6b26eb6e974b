package dev.critter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a message type a stable name (on envelopes, in tables, on the wire and in metrics)
 * instead of its fully qualified class name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessageIdentity {

    /**
     * Returns the message type name, e.g. {@code "order-placed"}.
     * @return the message type name, e.g. {@code "order-placed"}
     */
    String value();
}
