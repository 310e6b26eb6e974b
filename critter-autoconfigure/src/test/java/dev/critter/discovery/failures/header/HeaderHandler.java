package dev.critter.discovery.failures.header;

import dev.critter.Header;

/** Declares a header as a number, but headers are strings. */
public class HeaderHandler {

    public record Ping(String id) { }

    public void handle(Ping ping, @Header("x-priority") int priority) {
    }
}
