package dev.critter.durability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatcherTests {

    private final BackgroundWork work = new BackgroundWork(2);

    @AfterEach
    void stop() {
        work.stop(Duration.ofSeconds(5));
    }

    @Test
    void itemsAddedWhileABatchIsWrittenGoIntoTheNextBatchesOfAtMostTheBatchSize() throws Exception {
        CountDownLatch firstBatchStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        Batcher<Integer> batcher = new Batcher<>("test", work, 3, 100, Duration.ofSeconds(30), items -> {
            batches.add(List.copyOf(items));
            firstBatchStarted.countDown();
            await(release);
        });
        CompletableFuture<Void> first = batcher.add(0);
        assertThat(firstBatchStarted.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Void>> rest = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            rest.add(batcher.add(i));
        }
        assertThat(first).isNotDone();
        release.countDown();
        CompletableFuture.allOf(rest.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(first).isDone();
        assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
        assertThat(batcher.pending()).isZero();
    }

    @Test
    void aFailedBatchFailsTheFuturesOfItsItemsOnly() throws Exception {
        Batcher<Integer> batcher = new Batcher<>("test", work, 10, 100, Duration.ofSeconds(30), items -> {
            if (items.contains(13)) {
                throw new IllegalStateException("boom");
            }
        });
        CompletableFuture<Void> bad = batcher.add(13);
        assertThatThrownBy(() -> Batcher.await(bad, Duration.ofSeconds(30))).hasMessage("boom");
        Batcher.await(batcher.add(1), Duration.ofSeconds(30));
    }

    @Test
    void anErrorOrACheckedExceptionFromABatchFailsItsCallersAndTheBatcherGoesOn() throws Exception {
        Batcher<Integer> batcher = new Batcher<>("test", work, 10, 100, Duration.ofSeconds(30), items -> {
            if (items.contains(13)) {
                throw new AssertionError("an Error, not a RuntimeException");
            }
            if (items.contains(14)) {
                throw BatcherTests.<RuntimeException>sneaky(new java.io.IOException("checked, sneaked through"));
            }
        });
        CompletableFuture<Void> error = batcher.add(13);
        assertThatThrownBy(() -> error.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AssertionError.class);
        CompletableFuture<Void> checked = batcher.add(14);
        assertThatThrownBy(() -> checked.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> Batcher.await(batcher.add(14), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("checked, sneaked through");
        Batcher.await(batcher.add(1), Duration.ofSeconds(30));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable checked) throws E {
        throw (E) checked;
    }

    @Test
    void addWaitsWhileFullAndThrowsWhenNoRoomCameInTime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        Batcher<Integer> batcher = new Batcher<>("stuck", work, 1, 2, Duration.ofMillis(200), items -> {
            writing.countDown();
            await(release);
        });
        batcher.add(1);
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue(); // the writer holds item 1 and blocks
        batcher.add(2);
        batcher.add(3);
        // The writer holds item 1; 2 and 3 fill the capacity of 2.
        assertThatThrownBy(() -> batcher.add(4)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stuck has 2 writes pending");
        release.countDown();
        Batcher.await(batcher.add(5), Duration.ofSeconds(30));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
