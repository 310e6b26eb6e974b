package dev.critter.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What handlers saw, by message id: each {@link #add} records one sighting (one handling, one
 * attempt), so a test asserts both what was seen and how often. Handlers add on Critter's
 * workers while the test reads, hence the concurrent collections. A test names its own kind of
 * record by extending it ({@code class Handled extends SeenById<Boolean>}) or by holding several.
 * @param <T> what each sighting records
 */
public class SeenById<T> {

    private final Map<String, List<T>> sightings = new ConcurrentHashMap<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();

    /**
     * Records one sighting.
     * @param id the message's id (a test's own, not the envelope's)
     * @param value what was seen
     */
    public void add(String id, T value) {
        sightings.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(value);
        ids.add(id);
    }

    /**
     * Returns the sightings of a message, in the order they were recorded.
     * @param id the message's id
     * @return its sightings, empty when it was never seen
     */
    public List<T> of(String id) {
        return sightings.getOrDefault(id, List.of());
    }

    /**
     * Returns how often a message was seen.
     * @param id the message's id
     * @return how many sightings it has
     */
    public int times(String id) {
        return of(id).size();
    }

    /**
     * Returns the ids of all sightings, in the order they were recorded.
     * @return the ids, one per sighting
     */
    public List<String> order() {
        return ids;
    }
}
