package dev.critter.sample.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/** The recorded audit entries, numbered in the order they were handled. */
@Component
public class AuditTrail {

    private static final int KEPT = 1_000;

    private final List<Entry> entries = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();

    /**
     * @param number position in the trail, from 1
     * @param event the recorded event
     * @param thread the worker that recorded it
     */
    public record Entry(int number, AuditEvent event, String thread) {
    }

    /** Notes that a handler started recording; tracks how many ever ran at once. */
    void started() {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    void finished() {
        running.decrementAndGet();
    }

    synchronized Entry append(AuditEvent event) {
        int number = entries.isEmpty() ? 1 : entries.get(entries.size() - 1).number() + 1;
        Entry entry = new Entry(number, event, Thread.currentThread().getName());
        entries.add(entry);
        if (entries.size() > KEPT) {
            entries.remove(0);
        }
        return entry;
    }

    /** @return the kept entries, in the order they were recorded */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** @return the most audit handlers ever seen running at the same time (1 on a sequential queue) */
    public int maxConcurrent() {
        return maxRunning.get();
    }
}
