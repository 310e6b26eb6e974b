package dev.critter.sample;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** A pretend mail server: prints each e-mail and keeps the last thousand so they can be read back. */
@Component
public class EmailSender {

    private static final int KEPT = 1_000;

    private final Deque<Email> sent = new ArrayDeque<>();

    /**
     * One e-mail.
     * @param to recipient
     * @param subject subject line
     * @param tenant the tenant of the message that caused it, or {@code null}
     * @param sentAtNanos {@link System#nanoTime()} when it was sent
     */
    public record Email(String to, String subject, @Nullable String tenant, long sentAtNanos) {
    }

    /**
     * @param sender the handler sending it, for the console
     * @param to recipient
     * @param subject subject line
     * @param tenant the tenant, or {@code null}
     */
    public void send(String sender, String to, String subject, @Nullable String tenant) {
        synchronized (sent) {
            sent.addLast(new Email(to, subject, tenant, System.nanoTime()));
            if (sent.size() > KEPT) {
                sent.removeFirst();
            }
        }
        Console.handled(sender, "e-mail to " + to + ": \"" + subject + "\"" + Console.tenant(tenant));
    }

    /** @param to a recipient @return the e-mails sent to them, oldest first */
    public List<Email> sentTo(String to) {
        synchronized (sent) {
            return sent.stream().filter(e -> e.to().equals(to)).toList();
        }
    }
}
