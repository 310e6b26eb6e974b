package dev.critter.local;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.EndpointFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static dev.critter.local.LocalQueueFixture.workersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A worker that finds nothing to do spins for a moment, and a sender hands it the next envelope
 * instead of waking a parked thread. The spin here lasts a minute, so that the worker is surely
 * spinning when the test sends; what is checked is that nothing is lost, counted twice or kept
 * from a stop on that path.
 */
class LocalQueueSpinningWorkerTests {

    private static final WorkerSettings LONG_SPIN = new WorkerSettings(Duration.ofSeconds(60), false, Duration.ofMinutes(1));

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    /** Permits of this test's own, so that queues of other tests in this JVM never take the one it needs. */
    private LocalQueue start(LocalQueueSettings settings, EnvelopeReceiver receiver, WorkerSettings workers) {
        return queues.start(settings, receiver, workers, new SpinPermits(4));
    }

    @Test
    void aSpinningWorkerIsHandedTheNextEnvelopeWhichCountsInFlightUntilItsHandlerReturns() {
        CountDownLatch gate = new CountDownLatch(1);
        Map<Object, String> threadByPayload = new ConcurrentHashMap<>();
        LocalQueue queue = start(LocalQueueSettings.parallel("spin", 2, 10, PATIENCE), (envelope, from) -> {
            threadByPayload.put(envelope.message(), Thread.currentThread().getName());
            if (envelope.message().equals("held")) {
                pass(gate);
            }
        }, LONG_SPIN);
        queue.send(envelope("first"), false);
        eventually().until(() -> threadByPayload.containsKey("first") && queue.spinState().spinning());

        Envelope held = envelope("held");
        queue.send(held, false);

        eventually().until(() -> threadByPayload.containsKey("held"));
        assertThat(queue.spinState().handOffs()).isEqualTo(1);
        assertThat(queue.inFlight()).isEqualTo(1);
        assertThat(queue.inFlightEnvelopes()).containsExactly(held);
        assertThat(queue.isIdle()).isFalse();
        assertThat(threadByPayload.get("held")).isEqualTo(threadByPayload.get("first"));
        assertThat(workersOf("spin")).hasSize(1);

        gate.countDown();

        eventually().until(() -> queue.inFlight() == 0 && queue.isIdle());
        assertThat(queue.depth()).isZero();
    }

    @Test
    void aStopEndsTheSpinAtOnceInsteadOfWaitingItOut() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = start(LocalQueueSettings.parallel("stop-spin", 2, 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()), LONG_SPIN);
        queue.send(envelope("only"), false);
        eventually().until(() -> handled.size() == 1 && queue.spinState().spinning());

        int unhandled = queue.stop(Duration.ofSeconds(5));

        // A spinner that ignored the stop would still be alive after the stop's join gave up on it.
        assertThat(workersOf("stop-spin")).isEmpty();
        assertThat(unhandled).isZero();
        assertThat(queue.spinState().spinning()).isFalse();
    }

    @Test
    void aSpinnerIsNotHandedAnEnvelopeWhoseKeyAnotherWorkerHoldsAndPerKeyOrderStays() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> order = new CopyOnWriteArrayList<>();
        LocalQueue queue = start(LocalQueueSettings.partitioned("keys", 2, 10, PATIENCE,
                envelope -> ((String) envelope.message()).substring(0, 1)), (envelope, from) -> {
            order.add(envelope.message());
            if (envelope.message().equals("a1")) {
                pass(gate);
            }
        }, LONG_SPIN);
        queue.send(envelope("a1"), false);
        eventually().until(() -> order.contains("a1"));
        queue.send(envelope("b1"), false);
        eventually().until(() -> order.contains("b1") && queue.spinState().spinning());
        long handOffsBefore = queue.spinState().handOffs();

        // Key a is held by the worker blocked on a1: the spinner may not take a2.
        queue.send(envelope("a2"), false);

        assertThat(queue.depth()).isEqualTo(1);
        assertThat(queue.spinState().spinning()).isTrue();
        assertThat(queue.spinState().handOffs()).isEqualTo(handOffsBefore);
        assertThat(order).doesNotContain("a2");

        // Another key is free: the spinner gets it at once, while a2 still waits its turn.
        queue.send(envelope("c1"), false);
        eventually().until(() -> order.contains("c1"));
        assertThat(queue.spinState().handOffs()).isEqualTo(handOffsBefore + 1);
        assertThat(order).doesNotContain("a2");

        gate.countDown();

        eventually().until(() -> order.contains("a2") && queue.isIdle());
        assertThat(order.indexOf("a2")).isGreaterThan(order.indexOf("a1"));
        assertThat(order).hasSize(4);
    }

    @Test
    void aSpinThatEndsEmptyHandedStopsSpinningUntilAWorkerIsWokenWithinASpinsTimeOfParking() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = start(LocalQueueSettings.parallel("lull", 2, 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()),
                new WorkerSettings(Duration.ofSeconds(60), false, Duration.ofSeconds(2)));
        queue.send(envelope("before the lull"), false);
        eventually().until(() -> handled.size() == 1);

        // Nothing comes for the whole spin: the worker parks and the queue stops spinning.
        eventually().until(() -> !queue.spinState().spinning() && !queue.spinState().paysOff());

        // The next message wakes the parked worker well within a spin's time of its parking.
        queue.send(envelope("right after"), false);
        eventually().until(() -> handled.size() == 2);

        eventually().until(() -> queue.spinState().spinning());
        assertThat(queue.spinState().paysOff()).isTrue();
    }

    @Test
    void aStrayInterruptThatReachesASpinningWorkerIsNotPassedOnToTheHandlerItIsHanded() {
        Map<Object, Boolean> interruptedByPayload = new ConcurrentHashMap<>();
        LocalQueue queue = start(LocalQueueSettings.sequential("stray", 10, PATIENCE),
                (envelope, from) -> interruptedByPayload.put(envelope.message(), Thread.currentThread().isInterrupted()),
                LONG_SPIN);
        queue.send(envelope("first"), false);
        eventually().until(() -> interruptedByPayload.containsKey("first") && queue.spinState().spinning());

        // Not a stop's: a parked worker swallows such an interrupt, so a spinning one must too.
        workersOf("stray").get(0).interrupt();
        queue.send(envelope("second"), false);

        eventually().until(() -> interruptedByPayload.containsKey("second"));
        assertThat(queue.spinState().handOffs()).isEqualTo(1);
        assertThat(interruptedByPayload.get("second")).isFalse();
    }

    @Test
    void aSpinTooLongToCountInNanosecondsMeansSpinningUntilHandedAsAnIdleTimeoutThatLongMeansForEver() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = start(LocalQueueSettings.parallel("endless-spin", 1, 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()),
                new WorkerSettings(Duration.ofSeconds(Long.MAX_VALUE), false, Duration.ofSeconds(Long.MAX_VALUE)));
        queue.send(envelope("first"), false);
        eventually().until(() -> handled.size() == 1 && queue.spinState().spinning());

        queue.send(envelope("second"), false);

        eventually().until(() -> handled.size() == 2);
        assertThat(queue.spinState().handOffs()).isEqualTo(1);
    }

    @Test
    void aHandOffOfAnEnvelopeSentIntoReservedRoomTellsTheRoomWatchersOnceHalfTheCapacityIsFree() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        AtomicInteger told = new AtomicInteger();
        LocalQueue queue = start(LocalQueueSettings.parallel("room-spin", 1, 2, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()), LONG_SPIN);
        queue.send(envelope("first"), false);
        eventually().until(() -> handled.size() == 1 && queue.spinState().spinning());
        assertThat(queue.tryReserve(2)).isEqualTo(2);
        assertThatExceptionOfType(EndpointFullException.class).isThrownBy(() -> queue.offer(envelope("refused")))
                .satisfies(full -> full.whenRoom(told::incrementAndGet));
        assertThat(told).hasValue(0);

        // One reserved place is used and the envelope handed over at once: one place of two is taken.
        queue.sendReserved(envelope("reserved"));

        eventually().until(() -> handled.size() == 2);
        assertThat(queue.spinState().handOffs()).isEqualTo(1);
        eventually().until(() -> told.get() == 1);
    }

    @Test
    void aSendThatSlipsInWhileTheQueueStopsIsLeftQueuedNotHandedToTheSpinnerTheStopWouldInterrupt() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = start(LocalQueueSettings.sequential("late", 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()), LONG_SPIN);
        queue.send(envelope("before the stop"), false);
        eventually().until(() -> handled.size() == 1 && queue.spinState().spinning());
        queue.beginDrain(() -> { });

        // As a committed transaction's row arrives after the drain found every queue idle.
        queue.admit(envelope("late"), LocalQueue.Overflow.COMMITTED);

        assertThat(queue.spinState().handOffs()).isZero();
        assertThat(queue.depth()).isEqualTo(1);
        assertThat(queue.terminate()).as("left unhandled, not started and interrupted").isEqualTo(1);
        assertThat(handled).containsExactly("before the stop");
    }

    @Test
    void noMoreWorkersSpinAcrossQueuesThanThereArePermitsAndAStoppedSpinnersPermitGoesToTheNext() {
        SpinPermits permits = new SpinPermits(1);
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue first = queues.start(LocalQueueSettings.parallel("first", 2, 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()), LONG_SPIN, permits);
        LocalQueue second = queues.start(LocalQueueSettings.parallel("second", 2, 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()), LONG_SPIN, permits);
        first.send(envelope("to the first"), false);
        eventually().until(() -> handled.size() == 1 && first.spinState().spinning());

        second.send(envelope("to the second"), false);
        eventually().until(() -> handled.size() == 2 && second.inFlight() == 0);

        // Its worker found no permit: it parked instead of spinning beside the first queue's.
        assertThat(second.spinState().spinning()).isFalse();
        assertThat(permits.available()).isZero();

        first.stop(Duration.ofSeconds(5));
        assertThat(permits.available()).isOne();

        second.send(envelope("after the first stopped"), false);
        eventually().until(() -> handled.size() == 3 && second.spinState().spinning());
        assertThat(permits.available()).isZero();
    }

    @Test
    void aWorkerThatFindsWorkWaitingGivesItsSpinPermitBackUntilItSpinsAgain() {
        SpinPermits permits = new SpinPermits(1);
        CountDownLatch firstGate = new CountDownLatch(1);
        CountDownLatch secondGate = new CountDownLatch(1);
        List<Object> started = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.start(LocalQueueSettings.sequential("backlog", 10, PATIENCE), (envelope, from) -> {
            started.add(envelope.message());
            if (envelope.message().equals("held")) {
                pass(firstGate);
            } else if (envelope.message().equals("waiting")) {
                pass(secondGate);
            }
        }, LONG_SPIN, permits);
        queue.send(envelope("first"), false);
        eventually().until(() -> started.size() == 1 && queue.spinState().spinning());
        queue.send(envelope("held"), false);
        eventually().until(() -> started.contains("held"));
        queue.send(envelope("waiting"), false);
        // Handed "held" while spinning, the worker kept its permit.
        assertThat(permits.available()).isZero();

        firstGate.countDown();

        // It found "waiting" in the buffer: busy, not spinning, so the permit is free meanwhile.
        eventually().until(() -> started.contains("waiting"));
        assertThat(permits.available()).isOne();
        secondGate.countDown();
        eventually().until(() -> queue.spinState().spinning());
        assertThat(permits.available()).isZero();
        assertThat(started).containsExactly("first", "held", "waiting");
    }

    @Test
    void withoutSpinAWorkerParksAtOnceAndNothingIsHandedOff() {
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = start(LocalQueueSettings.parallel("no-spin", 2, 10, PATIENCE),
                (envelope, from) -> handled.add(envelope.message()),
                new WorkerSettings(Duration.ofSeconds(60), false, Duration.ZERO));
        for (int i = 0; i < 50; i++) {
            queue.send(envelope(i), false);
            int expected = i + 1;
            eventually().until(() -> handled.size() == expected);
            assertThat(queue.spinState().spinning()).isFalse();
        }

        assertThat(queue.spinState().handOffs()).isZero();
    }
}
