package dev.critter.discovery.basepackage.app;

/** A handler in the application's own package. */
public class AppHandler {

    public record AppMessage(String id) { }

    public void handle(AppMessage message) {
    }
}
