package dev.critter.sample.signup;

import dev.critter.TenantId;
import dev.critter.sample.EmailSender;

import org.jspecify.annotations.Nullable;

/** Sends the delayed sign-up reminder; the tenant travelled with every cascaded message. */
public class ReminderEmailConsumer {

    private final EmailSender email;

    public ReminderEmailConsumer(EmailSender email) {
        this.email = email;
    }

    public void consume(SignUpReminder reminder, @TenantId @Nullable String tenant) {
        email.send("ReminderEmailConsumer", reminder.email(), "Finish setting up your account", tenant);
    }
}
