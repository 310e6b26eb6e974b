package dev.critter.runtime;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import dev.critter.DeliveryOptions;
import dev.critter.OutgoingMessage;
import dev.critter.OutgoingMessages;

import org.jspecify.annotations.Nullable;

/**
 * Turns a handler's return value into the messages it publishes: nothing for {@code null},
 * each element of an {@code Iterable}, array or {@code Stream}, each entry of
 * {@link OutgoingMessages} with its options, a wrapped {@link OutgoingMessage} with its schedule,
 * any other object as one message.
 */
final class Cascades {

    private Cascades() {
    }

    static void each(@Nullable Object returned, BiConsumer<Object, DeliveryOptions> publish) {
        if (returned == null) {
            return;
        }
        if (returned instanceof OutgoingMessages outgoing) {
            outgoing.entries().forEach(e -> publish.accept(e.message(), e.options()));
        } else if (returned instanceof OutgoingMessage one) {
            publish.accept(one.message(), one.options());
        } else if (returned instanceof Iterable<?> many) {
            many.forEach(m -> each(m, publish));
        } else if (returned instanceof Stream<?> stream) {
            try (stream) {
                stream.forEach(m -> each(m, publish));
            }
        } else if (returned instanceof Object[] array) {
            for (Object m : array) {
                each(m, publish);
            }
        } else if (returned instanceof CompletionStage<?>) {
            throw new IllegalStateException("A future nested in a handler's return value cannot be cascaded: "
                    + "return the future itself");
        } else {
            publish.accept(returned, DeliveryOptions.none());
        }
    }
}
