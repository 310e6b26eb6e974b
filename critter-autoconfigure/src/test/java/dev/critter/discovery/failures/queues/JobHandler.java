package dev.critter.discovery.failures.queues;

/** A valid handler: its message goes to the conventional local queue {@code job}. */
public class JobHandler {

    public record Job(String id) { }

    public void handle(Job job) {
    }
}
