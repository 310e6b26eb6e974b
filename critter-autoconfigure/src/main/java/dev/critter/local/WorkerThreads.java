package dev.critter.local;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Creates a local queue's worker threads one at a time, as the queue needs them, keeps track of
 * the live ones, and at stop interrupts and joins them. Thread-safe.
 */
final class WorkerThreads {

    private static final Log logger = LogFactory.getLog(WorkerThreads.class);

    /** How long to wait for interrupted workers to finish their handler and exit. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private final String queueName;
    private final boolean virtual;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();

    WorkerThreads(String queueName, boolean virtualThreads) {
        this.queueName = queueName;
        this.virtual = virtualThreads && VirtualThreads.AVAILABLE;
    }

    /**
     * Starts one worker named {@code critter-<queue>-<number>}: a daemon platform thread, or a
     * virtual thread when asked for and available.
     */
    void start(int number, Runnable loop) {
        String name = "critter-" + queueName + "-" + number;
        Thread thread = virtual ? VirtualThreads.unstarted(name, loop) : new Thread(loop, name);
        if (!virtual) {
            thread.setDaemon(true);
        }
        live.add(thread);
        try {
            thread.start();
        } catch (RuntimeException | Error ex) {
            live.remove(thread);
            throw ex;
        }
    }

    /**
     * Tells whether workers are virtual threads, which must not spin: a spinning virtual thread
     * holds its carrier.
     * @return whether workers are virtual threads
     */
    boolean virtual() {
        return virtual;
    }

    /** Called by a worker as its last act. */
    void exited() {
        live.remove(Thread.currentThread());
    }

    /**
     * Returns how many workers are alive.
     * @return how many workers are alive
     */
    int alive() {
        return live.size();
    }

    /**
     * Interrupts the workers and waits, up to a short grace, for each to exit. A worker calling
     * this itself (a handler stopping its own queue) is skipped rather than joined forever.
     */
    void interruptAndJoin() {
        Thread current = Thread.currentThread();
        List<Thread> threads = new ArrayList<>(live);
        for (Thread thread : threads) {
            if (thread != current) {
                thread.interrupt();
            }
        }
        long deadline = System.nanoTime() + EXIT_GRACE.toNanos();
        boolean interrupted = false;
        for (Thread thread : threads) {
            if (thread == current) {
                continue;
            }
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (!interrupted && remainingMillis > 0) {
                    thread.join(remainingMillis);
                }
            } catch (InterruptedException ex) {
                interrupted = true;
            }
            if (thread.isAlive()) {
                logger.warn("Worker " + thread.getName() + " of local queue '" + queueName
                        + "' did not finish its handler after being interrupted; leaving it behind");
            }
        }
        if (interrupted) {
            current.interrupt();
        }
    }

    /** Java 21's {@code Thread.ofVirtual()}, reached by reflection because Critter compiles for Java 17. */
    static final class VirtualThreads {

        /** Whether this runtime can create virtual threads. */
        static final boolean AVAILABLE;
        private static final @Nullable Method OF_VIRTUAL;
        private static final @Nullable Method NAME;
        private static final @Nullable Method UNSTARTED;

        static {
            Method ofVirtual = null;
            Method name = null;
            Method unstarted = null;
            try {
                Class<?> builder = Class.forName("java.lang.Thread$Builder");
                ofVirtual = Thread.class.getMethod("ofVirtual");
                name = builder.getMethod("name", String.class);
                unstarted = builder.getMethod("unstarted", Runnable.class);
            } catch (ReflectiveOperationException ex) {
                // Before Java 21: platform threads only.
            }
            OF_VIRTUAL = ofVirtual;
            NAME = name;
            UNSTARTED = unstarted;
            AVAILABLE = unstarted != null;
        }

        private VirtualThreads() {
        }

        static Thread unstarted(String threadName, Runnable task) {
            try {
                Object builder = OF_VIRTUAL.invoke(null);
                builder = NAME.invoke(builder, threadName);
                return (Thread) UNSTARTED.invoke(builder, task);
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException("Could not create virtual thread " + threadName, ex);
            }
        }
    }
}
