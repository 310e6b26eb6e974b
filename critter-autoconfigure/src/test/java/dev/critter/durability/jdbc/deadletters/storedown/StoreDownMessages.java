package dev.critter.durability.jdbc.deadletters.storedown;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Handlers of one message type, one of which always fails, for the dead-letter store being down. */
public final class StoreDownMessages {

    /** Ids the handler that succeeds has handled. */
    public static final Set<UUID> HANDLED = ConcurrentHashMap.newKeySet();

    private StoreDownMessages() {
    }

    /** A message both handlers take. */
    public record Shipped(UUID id) {
    }

    /** Always fails, so its attempt ends in the dead letters. */
    public static class ShippedAuditHandler {
        public void handle(Shipped shipped) {
            throw new IllegalStateException("audit service refused " + shipped.id());
        }
    }

    /** Succeeds: must run although the other chain could not store its dead letter. */
    public static class ShippedMailHandler {
        public void handle(Shipped shipped) {
            HANDLED.add(shipped.id());
        }
    }
}
