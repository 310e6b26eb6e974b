package dev.critter.discovery.failures.twobeans;

/** Asks for a {@link Channel} without saying which of the application's two. */
public class TwoBeansHandler {

    public record Ping(String id) { }

    /** The tests declare two beans of this type, named {@code email} and {@code sms}. */
    public interface Channel { }

    public void handle(Ping ping, Channel channel) {
    }
}
