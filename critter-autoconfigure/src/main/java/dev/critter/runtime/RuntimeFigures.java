package dev.critter.runtime;

import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Live figures of a started runtime, for gauges.
 * @param queueDepths each local queue's name and current depth
 * @param scheduledPending how many scheduled messages wait for their due time
 * @param deadLetters how many dead letters are stored
 */
public record RuntimeFigures(Map<String, IntSupplier> queueDepths, IntSupplier scheduledPending,
                             LongSupplier deadLetters) {

    /**
     * Copies the map.
     * @param queueDepths each local queue's name and current depth
     * @param scheduledPending how many scheduled messages wait for their due time
     * @param deadLetters how many dead letters are stored
     */
    public RuntimeFigures {
        queueDepths = Map.copyOf(queueDepths);
    }
}
