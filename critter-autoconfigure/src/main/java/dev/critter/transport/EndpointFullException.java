package dev.critter.transport;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Thrown by {@link Endpoint#offer} when the endpoint has no room right now: nothing was sent, and
 * the caller still holds the envelope. It tells how to learn that room appeared
 * ({@link #whenRoom}), so a background agent can wait for that instead of polling. Cheap to
 * throw (no stack trace): a busy agent may meet it often.
 */
public final class EndpointFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The address of the endpoint that is full, e.g. {@code local://orders}. */
    private final String address;
    /** Registers a callback for the endpoint's room; not serialized (it holds the live endpoint). */
    private final transient Consumer<Runnable> roomWatch;

    /**
     * Creates the exception.
     * @param destination the endpoint that is full
     * @param capacity its capacity, for the message
     * @param roomWatch registers a callback to run once the endpoint has room again (at once when
     *                  it has room by then); see {@link #whenRoom}
     */
    public EndpointFullException(Destination destination, int capacity, Consumer<Runnable> roomWatch) {
        super(destination + " is full (capacity " + capacity + "); the message was not accepted", null, false, false);
        this.address = destination.toString();
        this.roomWatch = Objects.requireNonNull(roomWatch, "roomWatch");
    }

    /**
     * Returns the address of the endpoint that is full.
     * @return the address of the endpoint that is full, e.g. {@code local://orders}
     */
    public String address() {
        return address;
    }

    /**
     * Runs a callback once the endpoint has room again (a local queue: once drained to half its
     * capacity, so the caller comes back for many messages); at once (on the calling thread) when
     * it has room by now or stopped. The same callback object registered again before it ran runs
     * once, so an agent registering its wake-up on every refusal never piles them up.
     * @param callback runs on whatever thread frees the room: must be quick and must not block
     */
    public void whenRoom(Runnable callback) {
        roomWatch.accept(Objects.requireNonNull(callback, "callback"));
    }
}
