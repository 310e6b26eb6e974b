package dev.critter.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.Envelope;
import dev.critter.local.LocalQueueBackPressureTests.Publisher;
import dev.critter.transport.EndpointFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Under a backlog a worker of a FIFO queue takes its share of what waits in one go and runs it
 * without the lock. Each test builds the backlog before the start, so the first take surely
 * takes ahead, and holds one handler at a gate: what is checked is that messages taken ahead are
 * counted, reported, handed to an idle sibling, given back at a stop, and make room for
 * publishers, exactly as if they still waited in the queue.
 */
class LocalQueueTakeAheadTests {

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void anIdleWorkerTakesOverWhatABlockedSiblingTookAheadSoNothingWaitsBehindASlowHandler() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.parallel("take-over", 2, 100, PATIENCE), (envelope, from) -> {
            if (envelope.message().equals("slow")) {
                pass(gate);
            }
            handled.add(envelope.message());
        });
        queue.send(envelope("slow"), false);
        for (int i = 0; i < 30; i++) {
            queue.send(envelope(i), false);
        }

        queue.start();

        // Whichever worker takes "slow" takes half the 30 behind it ahead, and is stuck: the
        // other worker must handle all 30.
        eventually().until(() -> handled.size() == 30);
        assertThat(handled).doesNotContain("slow");
        assertThat(queue.depth()).isZero();

        gate.countDown();
        eventually().until(() -> handled.size() == 31 && queue.isIdle());
    }

    @Test
    void messagesTakenAheadAndNotStartedCountInTheDepthAndGoBackToTheQueueAtAStop() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("give-back", 100, PATIENCE), (envelope, from) -> {
            handled.add(envelope.message());
            if (envelope.message().equals(0)) {
                pass(gate);
            }
        });
        for (int i = 0; i < 20; i++) {
            queue.send(envelope(i), false);
        }

        queue.start();
        eventually().until(() -> handled.contains(0));

        // Its one worker holds 0 and took 15 ahead; 4 still wait in the queue.
        assertThat(queue.depth()).isEqualTo(19);
        assertThat(queue.inFlight()).isEqualTo(1);

        // A zero drain interrupts the handler of 0; nothing else may start, and all 19 are reported.
        int unhandled = queue.stop(Duration.ZERO);

        assertThat(unhandled).isEqualTo(19);
        assertThat(handled).containsExactly(0);
    }

    @Test
    void theMessageAWorkerRunsAheadIsTheOneAShutdownReportNames() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Envelope> sent = new ArrayList<>();
        List<Object> started = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("report", 100, PATIENCE), (envelope, from) -> {
            started.add(envelope.message());
            if (envelope.message().equals(5)) {
                pass(gate);
            }
        });
        for (int i = 0; i < 10; i++) {
            Envelope envelope = envelope(i);
            sent.add(envelope);
            queue.send(envelope, false);
        }

        queue.start();
        eventually().until(() -> started.contains(5));

        assertThat(queue.inFlightEnvelopes()).containsExactly(sent.get(5));
        assertThat(queue.depth()).isEqualTo(4);
        assertThat(started).containsExactly(0, 1, 2, 3, 4, 5);

        gate.countDown();
        eventually().until(() -> started.size() == 10 && queue.isIdle());
        assertThat(started).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(queue.inFlightEnvelopes()).isEmpty();
    }

    @Test
    void aMessageTakenAheadStillUsesRoomUntilItStartsThenAWaitingPublisherGetsItAtOnce() {
        CountDownLatch firstGate = new CountDownLatch(1);
        CountDownLatch secondGate = new CountDownLatch(1);
        List<Object> started = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("room", 3, PATIENCE), (envelope, from) -> {
            started.add(envelope.message());
            if (envelope.message().equals("first")) {
                pass(firstGate);
            } else if (envelope.message().equals("second")) {
                pass(secondGate);
            }
        });
        queue.send(envelope("first"), false);
        queue.send(envelope("second"), false);
        queue.send(envelope("third"), false);
        Publisher one = Publisher.start("room-one", () -> queue.send(envelope("one"), false));
        Publisher two = Publisher.start("room-two", () -> queue.send(envelope("two"), false));
        eventually().until(() -> one.thread.getState() == Thread.State.TIMED_WAITING
                && two.thread.getState() == Thread.State.TIMED_WAITING);

        queue.start();

        // The worker holds "first" and took "second" and "third" ahead, which still use room:
        // one place was freed, so one publisher gets in and the queue is full again.
        eventually().until(() -> one.hasReturned() || two.hasReturned());
        Publisher waiting = one.hasReturned() ? two : one;
        assertThat(waiting.hasReturned()).isFalse();
        assertThat(queue.depth()).isEqualTo(3);

        // "second" starting frees its place at once, although the worker's batch is not through.
        firstGate.countDown();
        eventually().until(waiting::hasReturned);
        assertThat(started).containsExactly("first", "second");
        assertThat(one.failure.get()).isNull();
        assertThat(two.failure.get()).isNull();

        secondGate.countDown();
        eventually().until(() -> started.size() == 5 && queue.isIdle());
        assertThat(started.subList(0, 3)).containsExactly("first", "second", "third");
    }

    @Test
    void aMessageTakenAheadStartsOnTheOtherWorkerWhenItIsFree() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> started = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.parallel("fair", 2, 100, PATIENCE), (envelope, from) -> {
            started.add(envelope.message());
            pass(gate);
        });
        queue.send(envelope("a"), false);
        queue.send(envelope("b"), false);
        queue.send(envelope("c"), false);

        queue.start();

        // Both workers are held at the gate, whichever took what ahead; one message waits.
        eventually().until(() -> started.size() == 2);
        assertThat(queue.depth()).isEqualTo(1);
        assertThat(queue.inFlight()).isEqualTo(2);
        gate.countDown();
        eventually().until(() -> started.size() == 3 && queue.isIdle());
        assertThat(queue.depth()).isZero();
    }

    @Test
    void anOffersWatcherIsToldWhenABatchRanDownAlthoughNothingElseArrives() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> handled = new CopyOnWriteArrayList<>();
        LocalQueue queue = queues.create(LocalQueueSettings.sequential("told-after-batch", 4, PATIENCE), (envelope, from) -> {
            if (envelope.message().equals(0)) {
                pass(gate);
            }
            handled.add(envelope.message());
        });
        // Handlers' sends, admitted above capacity: the worker takes 0 and all four others ahead,
        // which leaves the buffer empty while the queue is full.
        for (int i = 0; i < 5; i++) {
            queue.send(envelope(i), true);
        }
        queue.start();
        eventually().until(() -> queue.inFlight() == 1 && queue.depth() == 4);
        EndpointFullException full = assertThrows(EndpointFullException.class, () -> queue.offer(envelope("refused")));
        AtomicInteger told = new AtomicInteger();
        full.whenRoom(told::incrementAndGet);
        assertThat(told).hasValue(0);

        gate.countDown();

        // The batch runs down to an empty queue and nothing else is sent: the watcher must still
        // hear of the room, or an agent waiting for it never comes back.
        eventually().until(() -> handled.size() == 5 && queue.isIdle());
        eventually().until(() -> told.get() == 1);
    }

    @Test
    void aMessageTakenAheadGivesUpItsRoomWhenItStartsEvenIfNobodyWaitedThen() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> started = new CopyOnWriteArrayList<>();
        // "first" ran, "second" (taken ahead) started while no publisher waited, and is held.
        LocalQueue queue = startHeldOnSecond("room-at-start", started, gate);
        assertThat(queue.depth()).isEqualTo(1);

        // Only "third" waits: there is room for two more, as there would be had "second" waited
        // in the queue until it started.
        queue.offer(envelope("x"));
        assertThat(queue.depth()).isEqualTo(2);
        queue.offer(envelope("y"));
        assertThat(queue.depth()).isEqualTo(3);
        assertThrows(EndpointFullException.class, () -> queue.offer(envelope("z")));

        gate.countDown();
        eventually().until(() -> started.size() == 5 && queue.isIdle());
        assertThat(started).containsExactly("first", "second", "third", "x", "y");
    }

    @Test
    void aPublisherThatStartsWaitingAfterAMessageTakenAheadStartedGetsItsRoom() {
        CountDownLatch gate = new CountDownLatch(1);
        List<Object> started = new CopyOnWriteArrayList<>();
        LocalQueue queue = startHeldOnSecond("late-publisher", started, gate);
        queue.send(envelope("x"), false);
        assertThat(queue.depth()).isEqualTo(2);

        // The room "second" left when it started is this publisher's, while "second" still runs.
        Publisher late = Publisher.start("late", () -> queue.send(envelope("y"), false));
        eventually().until(late::hasReturned);
        assertThat(late.failure.get()).isNull();
        assertThat(started).containsExactly("first", "second");

        gate.countDown();
        eventually().until(() -> started.size() == 5 && queue.isIdle());
        assertThat(started).containsExactly("first", "second", "third", "x", "y");
    }

    /**
     * A sequential queue of capacity 3 holding "first", "second" and "third" when it starts, so its
     * worker takes the last two ahead; returns once "second" started, held at the gate.
     */
    private LocalQueue startHeldOnSecond(String name, List<Object> started, CountDownLatch gate) {
        LocalQueue queue = queues.create(LocalQueueSettings.sequential(name, 3, PATIENCE), (envelope, from) -> {
            started.add(envelope.message());
            if (envelope.message().equals("second")) {
                pass(gate);
            }
        });
        queue.send(envelope("first"), false);
        queue.send(envelope("second"), false);
        queue.send(envelope("third"), false);
        queue.start();
        eventually().until(() -> started.contains("second"));
        return queue;
    }
}
