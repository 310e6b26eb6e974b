package dev.critter.sample.signup;

import dev.critter.Messages;
import dev.critter.OutgoingMessage;
import dev.critter.TenantId;
import dev.critter.sample.EmailSender;
import dev.critter.sample.SampleProperties;

import org.jspecify.annotations.Nullable;

/**
 * Welcomes new users, and asks for a reminder a little later: {@link Messages#delayed} publishes
 * the reminder only once the delay has passed (in memory here; in PostgreSQL with durability).
 */
public class WelcomeEmailConsumer {

    private final EmailSender email;
    private final SampleProperties properties;

    public WelcomeEmailConsumer(EmailSender email, SampleProperties properties) {
        this.email = email;
        this.properties = properties;
    }

    public OutgoingMessage consume(UserSignedUp event, @TenantId @Nullable String tenant) {
        email.send("WelcomeEmailConsumer", event.email(), "Welcome aboard, " + event.userId(), tenant);
        return Messages.delayed(new SignUpReminder(event.email()), properties.reminderDelay());
    }
}
