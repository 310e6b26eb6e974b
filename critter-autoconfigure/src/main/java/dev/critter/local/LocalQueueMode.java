package dev.critter.local;

/** How a local queue orders the messages it hands to its workers. */
public enum LocalQueueMode {

    /** Up to {@code parallelism} messages are handled at once, taken in arrival order, with no ordering promise. */
    PARALLEL,

    /** One message at a time, in exact send order. */
    SEQUENTIAL,

    /**
     * Messages with equal keys are handled one at a time in send order; different keys run in
     * parallel up to {@code parallelism}. A {@code null} key means "no ordering".
     */
    PARTITIONED
}
