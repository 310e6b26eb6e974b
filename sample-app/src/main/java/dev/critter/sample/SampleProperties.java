package dev.critter.sample;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sample's own settings, under {@code sample.*} (Critter's are under {@code critter.*}).
 * @param reminderDelay how long after the welcome e-mail the sign-up reminder is sent
 * @param paymentDeadline how long after an order is placed its payment is due; unpaid then, it is cancelled
 * @param walkthrough the start-up walkthrough
 * @param load how many messages the load mode pushes; unset outside load mode ({@code --load=N} sets it)
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("1s") Duration reminderDelay,
                               @DefaultValue("2s") Duration paymentDeadline,
                               @DefaultValue Walkthrough walkthrough,
                               @Nullable Integer load) {

    /** @param enabled whether the walkthrough runs once at start-up */
    public record Walkthrough(@DefaultValue("true") boolean enabled) {
    }
}
