package dev.critter.discovery.failures.samename;

/** Handles two message types with the same simple name, whose conventional local queues clash. */
public class SameNameHandler {

    /** One bounded context's {@code Created}. */
    public static final class Billing {
        public record Created(String id) { }

        private Billing() {
        }
    }

    /** Another bounded context's {@code Created}. */
    public static final class Shipping {
        public record Created(String id) { }

        private Shipping() {
        }
    }

    public void handle(Billing.Created created) {
    }

    public void handle(Shipping.Created created) {
    }
}
