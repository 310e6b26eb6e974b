package dev.critter.discovery.basepackage.app.sub;

/** A handler in a sub-package of the application's package. */
public class SubPackageHandler {

    public record SubMessage(String id) { }

    public void handle(SubMessage message) {
    }
}
