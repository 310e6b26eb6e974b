package dev.critter.transport;

/**
 * How the pipeline settled one delivered envelope, for endpoints that keep a copy until it is
 * settled (durable ones): whether they may forget it, and whether it counts as handled.
 */
public enum Receipt {

    /** Every handler chain ran to success (or had already handled it before): it counts as handled. */
    HANDLED,

    /**
     * It ended without being handled, and is kept elsewhere or given up on purpose: dead-lettered
     * (bad input, no handler, a failure its error policy gave up on) or discarded (expired, a
     * discard step). The endpoint may forget it, but a replay of it must be accepted again.
     */
    SETTLED,

    /**
     * A handler's error policy sent it on: requeued to the endpoint it came from, or scheduled for a
     * retry. It comes back as a new delivery; the endpoint forgets this one (it saw a requeue in
     * its own {@code send}).
     */
    DEFERRED,

    /**
     * Critter could not settle it (its dead letter could not be stored, say): the endpoint keeps it
     * and delivers it again later.
     */
    UNSETTLED
}
