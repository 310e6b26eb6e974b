package dev.critter.durability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The threads of this node's durable background work (outbox relay, scheduled-message poller,
 * heartbeats, batched writes, clean-up): at most {@code critter.durability.background-connections}
 * run at once, so background work never holds more database connections than that. Each kind of
 * work is an {@link Agent} that runs every interval and can be woken to run at once or sooner;
 * wake-ups while it runs coalesce into one more run, which waits behind the runs already waiting
 * for a thread: no agent keeps a thread to itself, so the heartbeat gets its turn between two
 * batches of the busiest agent.
 */
public final class BackgroundWork {

    private static final Log logger = LogFactory.getLog(BackgroundWork.class);

    private final ScheduledThreadPoolExecutor executor;
    private final List<Agent> agents = new CopyOnWriteArrayList<>();

    /**
     * Creates the threads (daemon, named {@code critter-durability-N}).
     * @param threads how many may run at once
     */
    public BackgroundWork(int threads) {
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(threads, runnable -> {
            Thread thread = new BackgroundThread(runnable, "critter-durability-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Tells whether the calling thread is one of the background threads: work done there must not
     * wait for a {@link Batcher}, whose agent needs one of the same bounded threads to write.
     * @return whether the calling thread belongs to a {@code BackgroundWork}
     */
    public static boolean onBackgroundThread() {
        return Thread.currentThread() instanceof BackgroundThread;
    }

    /** A background thread, told apart by its class. */
    private static final class BackgroundThread extends Thread {
        BackgroundThread(Runnable work, String name) {
            super(work, name);
        }
    }

    /**
     * Starts an agent that runs {@code work} every {@code interval} (after each run ends) and whenever woken.
     * @param name what it does, for the log
     * @param interval the wait between runs nobody woke it for
     * @param work one run; an exception is logged and the next run still happens
     * @return the agent, to wake it
     */
    public Agent every(String name, Duration interval, Runnable work) {
        Agent agent = new Agent(name, work);
        agent.periodic = executor.scheduleWithFixedDelay(agent::wake, interval.toNanos(), interval.toNanos(),
                TimeUnit.NANOSECONDS);
        agents.add(agent);
        return agent;
    }

    /**
     * Stops every agent and waits for runs in progress.
     * @param timeout how long to wait for them
     * @return whether every run ended in time
     */
    public boolean stop(Duration timeout) {
        agents.forEach(Agent::cancel);
        executor.shutdown();
        try {
            return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops every agent, waiting up to 10 s for runs in progress (the bean's destroy method). */
    public void close() {
        if (!stop(Duration.ofSeconds(10))) {
            logger.warn("Critter durability: background work still running 10s after shutdown began; leaving it");
        }
    }

    /** One kind of background work: runs on its interval, or sooner when woken; never twice at once. */
    public final class Agent {

        private static final int IDLE = 0;
        private static final int RUNNING = 1;
        private static final int RUN_AGAIN = 2;

        private final String name;
        private final Runnable work;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private volatile @Nullable ScheduledFuture<?> periodic;
        private volatile boolean cancelled;

        private Agent(String name, Runnable work) {
            this.name = name;
            this.work = work;
        }

        /** Runs as soon as a thread is free; when it is running now, it runs once more after. */
        public void wake() {
            if (cancelled) {
                return;
            }
            while (true) {
                int current = state.get();
                if (current == IDLE) {
                    if (state.compareAndSet(IDLE, RUNNING)) {
                        try {
                            executor.execute(this::run);
                        } catch (RuntimeException ex) {
                            state.set(IDLE); // shut down meanwhile
                        }
                        return;
                    }
                } else if (current == RUN_AGAIN || state.compareAndSet(RUNNING, RUN_AGAIN)) {
                    return;
                }
            }
        }

        /**
         * Runs after a delay (sooner than its interval, say), unless woken before.
         * @param delay how long from now
         */
        public void wakeIn(Duration delay) {
            if (cancelled) {
                return;
            }
            try {
                executor.schedule(this::wake, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            } catch (RuntimeException ex) {
                // shut down meanwhile: nothing more runs
            }
        }

        private void run() {
            state.set(RUNNING);
            try {
                work.run();
            } catch (RuntimeException | Error ex) {
                logger.warn("Critter durability: " + name + " failed, will run again: " + ex, ex);
            }
            if (cancelled || state.compareAndSet(RUNNING, IDLE)) {
                if (cancelled) {
                    state.set(IDLE);
                }
                return;
            }
            // Woken while it ran: run once more, but behind the work already waiting for a thread
            // rather than at once, so an agent that keeps finding work (a relay with a backlog)
            // never starves the heartbeat of the node's few threads.
            try {
                executor.execute(this::run);
            } catch (RuntimeException ex) {
                state.set(IDLE); // shut down meanwhile
            }
        }

        private void cancel() {
            cancelled = true;
            ScheduledFuture<?> future = periodic;
            if (future != null) {
                future.cancel(false);
            }
        }

        @Override
        public String toString() {
            return "Agent[" + name + "]";
        }
    }
}
