package dev.critter.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import dev.critter.handler.NearMiss;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The classpath scan for handler classes, which may run on a thread of its own while the rest of
 * the application context starts: listing and reading the scanned packages' classes and loading
 * the handler classes touches no bean, so it overlaps the creation of the other singletons instead
 * of adding to start-up. What needs the bean factory (handler instances, parameters) stays on the
 * thread that builds the runtime.
 */
final class HandlerDiscovery {

    private static final Log logger = LogFactory.getLog(HandlerDiscovery.class);

    /** What the scan found. */
    record Found(List<Class<?>> handlerClasses, List<NearMiss> nearMisses) {
    }

    private final Supplier<Found> scan;
    private volatile @Nullable CompletableFuture<Found> background;
    private volatile @Nullable Thread backgroundThread;

    /**
     * @param scan the scan as {@link #found()} runs it on the calling thread when none was started
     */
    HandlerDiscovery(Supplier<Found> scan) {
        this.scan = scan;
    }

    /**
     * Starts a scan on a daemon thread named {@code critter-handler-scan}, which ends with it. When
     * no thread can be started, {@link #found()} scans on the calling thread instead.
     * @param backgroundScan the scan the background thread runs (its own resolver and caches)
     */
    void startInBackground(Supplier<Found> backgroundScan) {
        if (background != null) {
            return;
        }
        CompletableFuture<Found> future = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                future.complete(backgroundScan.get());
            } catch (Throwable ex) {
                future.completeExceptionally(ex);
            }
        }, "critter-handler-scan");
        thread.setDaemon(true);
        try {
            thread.start();
            backgroundThread = thread;
            background = future;
        } catch (RuntimeException | Error ex) {
            logger.debug("Could not scan for handlers in the background; scanning when the runtime is built", ex);
        }
    }

    /**
     * Returns the scan's result, waiting for the background scan if one was started.
     * @return the handler classes and near misses
     * @throws RuntimeException what the scan threw, as it threw it (a bad handler class fails start-up the same way)
     */
    Found found() {
        CompletableFuture<Found> started = background;
        if (started == null) {
            return scan.get();
        }
        try {
            Found found = started.join();
            awaitEndOfThread();
            return found;
        } catch (CompletionException ex) {
            awaitEndOfThread();
            Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        }
    }

    /**
     * The thread completes the future just before it ends: without this wait it may still be
     * alive, briefly, once the context has started, and be counted among Critter's threads.
     */
    private void awaitEndOfThread() {
        Thread thread = backgroundThread;
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException ex) {
                // Like the join on the result: the wait is short, the interrupt is kept for the caller.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
