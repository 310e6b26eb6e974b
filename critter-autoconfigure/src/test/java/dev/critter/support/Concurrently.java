package dev.critter.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs a test's work on several threads at once, as concurrent callers of an application would. */
public final class Concurrently {

    private Concurrently() {
    }

    /**
     * Runs a task on each of several threads at once and waits until every one finished.
     * @param threads how many threads
     * @param task what each thread runs, given its number (0 to {@code threads - 1}) to pick its share of the work
     * @throws Exception the first failure of a task (wrapped in an {@code ExecutionException}), or an interrupt
     */
    public static void run(int threads, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> task.accept(thread)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
