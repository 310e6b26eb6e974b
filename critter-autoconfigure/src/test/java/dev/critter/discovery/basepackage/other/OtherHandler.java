package dev.critter.discovery.basepackage.other;

/** A handler outside the application's package, found only when critter.handlers.base-packages names it. */
public class OtherHandler {

    public record OtherMessage(String id) { }

    public void handle(OtherMessage message) {
    }
}
