package dev.critter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a handler whatever its name. Its public methods named {@code handle},
 * {@code handleAsync}, {@code consume} or {@code consumeAsync} become handler methods.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CritterHandler {
}
