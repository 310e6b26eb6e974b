package dev.critter.deadletter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.critter.DeadLetter;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The dead-letter store used without a database: bounded, oldest evicted first (and counted).
 */
public final class InMemoryDeadLetters implements DeadLetterStore {

    private static final Log logger = LogFactory.getLog(InMemoryDeadLetters.class);

    private final int capacity;
    private final LinkedHashMap<UUID, DeadLetter> letters = new LinkedHashMap<>();
    private final AtomicLong evicted = new AtomicLong();
    private volatile Consumer<DeadLetter> replayer = d -> {
        throw new IllegalStateException("Critter is not running; cannot replay dead letter " + d.id());
    };

    /**
     * Creates the store.
     * @param capacity how many dead letters to keep, at least 1
     */
    public InMemoryDeadLetters(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("dead letter capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Stores a dead letter, evicting the oldest when full.
     * @param deadLetter the dead letter
     */
    @Override
    public void add(DeadLetter deadLetter) {
        DeadLetter dropped = null;
        synchronized (letters) {
            letters.put(deadLetter.id(), deadLetter);
            if (letters.size() > capacity) {
                UUID oldest = letters.keySet().iterator().next();
                dropped = letters.remove(oldest);
            }
        }
        if (dropped != null) {
            long total = evicted.incrementAndGet();
            logger.warn("In-memory dead-letter store is full (capacity " + capacity + "): evicted dead letter "
                    + dropped.id() + " of " + dropped.envelope().messageType() + " (message " + dropped.envelope().id()
                    + "); " + total + " evicted so far. Raise critter.dead-letters.in-memory-capacity or add PostgreSQL durability");
        }
    }

    /**
     * Sets how dead letters are replayed.
     * @param replayer sends a dead letter's message back to where it failed
     */
    @Override
    public void replayWith(Consumer<DeadLetter> replayer) {
        this.replayer = replayer;
    }

    @Override
    public List<DeadLetter> list() {
        synchronized (letters) {
            return new ArrayList<>(letters.values());
        }
    }

    @Override
    public List<DeadLetter> list(String messageType) {
        return list().stream().filter(d -> d.envelope().messageType().equals(messageType)).toList();
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        synchronized (letters) {
            return Optional.ofNullable(letters.get(id));
        }
    }

    @Override
    public boolean replay(UUID id) {
        DeadLetter letter;
        synchronized (letters) {
            letter = letters.remove(id);
        }
        if (letter == null) {
            return false;
        }
        try {
            replayer.accept(letter);
        } catch (RuntimeException ex) {
            // Back in through add(), so the store's bound holds even if others failed meanwhile.
            add(letter);
            throw ex;
        }
        return true;
    }

    @Override
    public boolean discard(UUID id) {
        synchronized (letters) {
            return letters.remove(id) != null;
        }
    }

    @Override
    public long count() {
        synchronized (letters) {
            return letters.size();
        }
    }

    @Override
    public long evicted() {
        return evicted.get();
    }
}
