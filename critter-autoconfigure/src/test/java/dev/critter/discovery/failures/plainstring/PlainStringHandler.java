package dev.critter.discovery.failures.plainstring;

/** Takes a String that is neither the message nor annotated: Critter cannot know what to pass. */
public class PlainStringHandler {

    public record Ping(String id) { }

    public void handle(Ping ping, String tenant) {
    }
}
