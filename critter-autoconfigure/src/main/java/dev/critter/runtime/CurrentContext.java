package dev.critter.runtime;

import org.jspecify.annotations.Nullable;

/**
 * The message context of the handler running on this thread, so the singleton bus can behave
 * as that handler's context.
 *
 * <p>Each thread gets one mutable {@link Slot}: running a handler looks the thread-local up once
 * and then swaps the slot's field twice, where {@code get}/{@code set} pairs would cost four
 * thread-local look-ups per handler run.
 */
final class CurrentContext {

    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

    private CurrentContext() {
    }

    /** One thread's current context; only that thread reads or writes it. */
    static final class Slot {
        @Nullable DefaultMessageContext context;
    }

    static @Nullable DefaultMessageContext get() {
        return SLOT.get().context;
    }

    /**
     * Returns this thread's slot, for a swap and its undo around one handler run.
     * @return this thread's slot, for a swap and its undo around one handler run
     */
    static Slot slot() {
        return SLOT.get();
    }
}
