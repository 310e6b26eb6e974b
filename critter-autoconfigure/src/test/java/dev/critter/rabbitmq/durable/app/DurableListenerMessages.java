package dev.critter.rabbitmq.durable.app;

import dev.critter.support.DatabaseGate;

import org.springframework.jdbc.core.JdbcTemplate;

/** Messages and handlers of the durable-listener tests; the test creates {@link #TABLES}. */
public final class DurableListenerMessages {

    /** The advisory-lock key of the gate the tests hold while a row of {@code listener_gate} says hold. */
    public static final long GATE = 7_003;

    /** The handlers' side effects, and a gate that holds them while it has a row. */
    public static final String TABLES = """
            CREATE TABLE IF NOT EXISTS listener_effects (entry text NOT NULL, tx bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS listener_gate (hold boolean NOT NULL);
            """;

    private DurableListenerMessages() {
    }

    /** One entry to book. */
    public record Booking(String entry) {
    }

    /** A message whose handler always fails, so it exhausts its error policy. */
    public record Rejected(String entry) {
    }

    /** Books an entry in its transaction (with Critter's handled mark); waits while the gate holds. */
    public static class BookingHandler {
        public void handle(Booking booking, JdbcTemplate jdbc) throws InterruptedException {
            jdbc.update("INSERT INTO listener_effects (entry, tx) VALUES (?, txid_current())", booking.entry());
            DatabaseGate.passWhen(jdbc, GATE, "EXISTS (SELECT 1 FROM listener_gate WHERE hold)");
        }
    }

    /** Always throws. */
    public static class RejectedHandler {
        public void handle(Rejected rejected) {
            throw new IllegalStateException("Rejected " + rejected.entry() + " always fails");
        }
    }
}
