package dev.critter.discovery.failures.uncreatable;

/** Not a bean, and its constructor needs a bean the application does not have. */
public class UncreatableHandler {

    public record Ping(String id) { }

    /** No bean implements this. */
    public interface Ledger { }

    private final Ledger ledger;

    public UncreatableHandler(Ledger ledger) {
        this.ledger = ledger;
    }

    public void handle(Ping ping) {
        ledger.hashCode();
    }
}
