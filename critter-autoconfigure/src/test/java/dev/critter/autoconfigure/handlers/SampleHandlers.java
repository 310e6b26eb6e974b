package dev.critter.autoconfigure.handlers;

/**
 * Handlers for the auto-configuration tests; their messages make the conventional local queues
 * {@code orders}, {@code stock-changed}, {@code audit-entry} and {@code always-fails}.
 */
public final class SampleHandlers {

    public record Orders(String id) { }
    public record StockChanged(String productId, int delta) { }
    public record AuditEntry(String text) { }
    public record AlwaysFails(String id) { }

    private SampleHandlers() {
    }

    public static class OrdersHandler {
        public void handle(Orders orders) {
        }
    }

    public static class StockConsumer {
        public void consume(StockChanged changed) {
        }
    }

    public static class AuditHandler {
        public static void handle(AuditEntry entry) {
        }
    }

    public static class FailingHandler {
        public void handle(AlwaysFails message) {
            throw new IllegalStateException("always fails: " + message.id());
        }
    }
}
