package dev.critter.local;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;
import dev.critter.transport.EndpointFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Background senders ({@link LocalQueue#offer}) never wait and never overshoot, and are told when
 * room appears; reserved room ({@link LocalQueue#reserve()}) counts as taken for every outside sender.
 */
class LocalQueueOfferTests {

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void anOfferToAFullQueueIsRefusedAtOnceAndItsWatcherIsToldOnceWhenWorkersDrainedHalfOfIt() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        List<UUID> handled = new CopyOnWriteArrayList<>();
        // A publish timeout far beyond the test's patience: an offer that waited would hang the test.
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("offers", 1, 2, PATIENCE.multipliedBy(10)),
                (envelope, from) -> {
                    pass(gate);
                    handled.add(envelope.id());
                });
        queue.offer(envelope(0));
        eventually().until(() -> queue.inFlight() == 1);
        queue.offer(envelope(1));
        queue.offer(envelope(2));
        Envelope refused = envelope("one too many");

        EndpointFullException full = assertThrows(EndpointFullException.class,
                () -> queue.offer(refused));
        assertThat(full.address()).isEqualTo("local://offers");
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.overCapacityAdmissions()).isZero();

        AtomicInteger told = new AtomicInteger();
        Runnable watcher = told::incrementAndGet;
        full.whenRoom(watcher);
        full.whenRoom(watcher); // the same watcher again: told once
        assertThat(told).hasValue(0);

        gate.countDown();
        eventually().until(() -> told.get() >= 1);
        eventually().until(() -> handled.size() == 3);
        assertThat(told).hasValue(1);
        assertThat(handled).doesNotContain(refused.id());

        // Room now: the watcher of a later refusal's room is told at once.
        AtomicInteger toldAtOnce = new AtomicInteger();
        full.whenRoom(toldAtOnce::incrementAndGet);
        assertThat(toldAtOnce).hasValue(1);
        queue.offer(refused);
        eventually().until(() -> handled.size() == 4);
        assertThat(handled).doesNotHaveDuplicates();
    }

    @Test
    void reservedRoomIsTakenForOffersAndWaitingPublishersUntilItIsUsedOrGivenBack() throws Exception {
        Semaphore permits = new Semaphore(0);
        AtomicInteger handled = new AtomicInteger();
        LocalQueue queue = queues.start(LocalQueueSettings.parallel("reserved", 1, 2, PATIENCE), (envelope, from) -> {
            try {
                permits.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        });
        queue.send(envelope(0), false);
        eventually().until(() -> queue.inFlight() == 1);

        queue.reserve();
        assertThat(queue.tryReserve(5)).as("the one place left").isOne();
        assertThat(queue.tryReserve(1)).isZero();
        assertThatExceptionOfType(EndpointFullException.class).isThrownBy(() -> queue.offer(envelope(1)));

        AtomicInteger told = new AtomicInteger();
        try {
            queue.offer(envelope(2));
        } catch (EndpointFullException full) {
            full.whenRoom(told::incrementAndGet);
        }
        queue.cancelReserved(1);
        assertThat(told).as("giving room back tells the watchers").hasValue(1);
        queue.sendReserved(envelope(3));
        queue.offer(envelope(4));
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(queue.overCapacityAdmissions()).isZero();

        permits.release(10);
        eventually().until(() -> handled.get() == 3);
        assertThat(queue.depth()).isZero();
    }
}
