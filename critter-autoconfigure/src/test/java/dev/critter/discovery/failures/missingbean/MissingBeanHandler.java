package dev.critter.discovery.failures.missingbean;

/** Asks for a bean the application does not have. */
public class MissingBeanHandler {

    public record Ping(String id) { }

    /** No bean implements this. */
    public interface PaymentGateway { }

    public void handle(Ping ping, PaymentGateway gateway) {
    }
}
