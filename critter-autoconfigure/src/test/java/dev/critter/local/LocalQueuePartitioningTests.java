package dev.critter.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;

import dev.critter.Envelope;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.critter.local.LocalQueueFixture.PATIENCE;
import static dev.critter.local.LocalQueueFixture.envelope;
import static dev.critter.local.LocalQueueFixture.eventually;
import static dev.critter.local.LocalQueueFixture.pass;
import static org.assertj.core.api.Assertions.assertThat;

class LocalQueuePartitioningTests {

    private static final Function<Envelope, @Nullable Object> BY_KEY = envelope -> ((Keyed) envelope.message()).key();

    @RegisterExtension
    final LocalQueueFixture queues = new LocalQueueFixture();

    @Test
    void keepsSendOrderPerKeyAcrossTwentyKeys() throws Exception {
        int keys = 20;
        int perKey = 500;
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> activePerKey = new ConcurrentHashMap<>();
        AtomicBoolean sameKeyOverlapped = new AtomicBoolean();
        CountDownLatch handled = new CountDownLatch(keys * perKey);
        LocalQueue queue = queues.start(LocalQueueSettings.partitioned("stock", 4, 1_000, PATIENCE, BY_KEY),
                (envelope, from) -> {
                    Keyed keyed = (Keyed) envelope.message();
                    AtomicInteger active = activePerKey.computeIfAbsent(keyed.key(), key -> new AtomicInteger());
                    if (active.incrementAndGet() > 1) {
                        sameKeyOverlapped.set(true);
                    }
                    seen.computeIfAbsent(keyed.key(), key -> new CopyOnWriteArrayList<>()).add(keyed.sequence());
                    active.decrementAndGet();
                    handled.countDown();
                });

        for (int sequence = 0; sequence < perKey; sequence++) {
            for (int key = 0; key < keys; key++) {
                queue.send(envelope(new Keyed("product-" + key, sequence)), false);
            }
        }

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(sameKeyOverlapped).isFalse();
        assertThat(seen).hasSize(keys);
        List<Integer> expected = IntStream.range(0, perKey).boxed().toList();
        seen.forEach((key, sequences) -> assertThat(sequences).as(key).containsExactlyElementsOf(expected));
    }

    @Test
    void handlesDifferentKeysAtTheSameTime() throws Exception {
        // Each handler waits for the other key's handler: only keys handled at the same time meet.
        CyclicBarrier bothKeysRunning = new CyclicBarrier(2);
        List<String> met = new CopyOnWriteArrayList<>();
        CountDownLatch handled = new CountDownLatch(3);
        LocalQueue queue = queues.start(LocalQueueSettings.partitioned("pairs", 2, 10, PATIENCE, BY_KEY),
                (envelope, from) -> {
                    Keyed keyed = (Keyed) envelope.message();
                    if (keyed.sequence() == 0) {
                        try {
                            bothKeysRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                            met.add(keyed.key());
                        } catch (Exception ex) {
                            // A timeout or broken barrier leaves the key out of 'met', failing the test.
                        }
                    }
                    handled.countDown();
                });

        queue.send(envelope(new Keyed("A", 0)), false);
        queue.send(envelope(new Keyed("A", 1)), false);
        queue.send(envelope(new Keyed("B", 0)), false);

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(met).containsExactlyInAnyOrder("A", "B");
    }

    @Test
    void handlesMessagesWithoutAKeyAtTheSameTime() throws Exception {
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        AtomicInteger met = new AtomicInteger();
        CountDownLatch handled = new CountDownLatch(2);
        LocalQueue queue = queues.start(LocalQueueSettings.partitioned("keyless", 2, 10, PATIENCE, envelope -> null),
                (envelope, from) -> {
                    try {
                        bothRunning.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                        met.incrementAndGet();
                    } catch (Exception ex) {
                        // Left uncounted, failing the test.
                    }
                    handled.countDown();
                });

        queue.send(envelope("first"), false);
        queue.send(envelope("second"), false);

        assertThat(handled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(met).hasValue(2);
    }

    @Test
    void aHotKeyWithABlockedHandlerDoesNotHoldBackOtherKeys() throws Exception {
        int hotCount = 5_000;
        CountDownLatch hotGate = new CountDownLatch(1);
        List<Integer> hotSeen = new CopyOnWriteArrayList<>();
        CountDownLatch hotHandled = new CountDownLatch(hotCount);
        CountDownLatch coldHandled = new CountDownLatch(200);
        LocalQueue queue = queues.start(LocalQueueSettings.partitioned("hot", 2, 10_000, PATIENCE, BY_KEY),
                (envelope, from) -> {
                    Keyed keyed = (Keyed) envelope.message();
                    if (keyed.key().equals("hot")) {
                        pass(hotGate);
                        hotSeen.add(keyed.sequence());
                        hotHandled.countDown();
                    } else {
                        coldHandled.countDown();
                    }
                });

        for (int i = 0; i < hotCount; i++) {
            queue.send(envelope(new Keyed("hot", i)), false);
        }
        eventually().until(() -> queue.inFlight() == 1);
        for (int i = 0; i < 200; i++) {
            queue.send(envelope(new Keyed("cold-" + (i % 10), i)), false);
        }

        assertThat(coldHandled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(hotSeen).isEmpty();
        assertThat(queue.depth()).isEqualTo(hotCount - 1);

        hotGate.countDown();
        assertThat(hotHandled.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(hotSeen).containsExactlyElementsOf(IntStream.range(0, hotCount).boxed().toList());
    }

    @Test
    void handsKeysOutInTurnAndForgetsFinishedKeys() {
        PartitionedBuffer buffer = new PartitionedBuffer(BY_KEY);
        EnvelopeBuffer.Claim claim = new EnvelopeBuffer.Claim();
        for (String message : List.of("A0", "A1", "A2", "B0", "B1", "C0")) {
            Envelope envelope = envelope(new Keyed(message.substring(0, 1), message.charAt(1) - '0'));
            buffer.add(envelope, buffer.keyOf(envelope));
        }
        Envelope keyless = envelope("no key");
        buffer.add(keyless, null);

        List<Object> order = new ArrayList<>();
        for (Envelope next = buffer.poll(claim); next != null; next = buffer.poll(claim)) {
            order.add(next.message() instanceof Keyed keyed ? keyed.key() + keyed.sequence() : next.message());
            buffer.release(claim);
        }

        assertThat(order).containsExactly("A0", "B0", "C0", "no key", "A1", "B1", "A2");
        assertThat(buffer.size()).isZero();
        assertThat(buffer.laneCount()).isZero();
    }

    @Test
    void doesNotHandOutAKeyWhileOneOfItsMessagesIsInFlight() {
        PartitionedBuffer buffer = new PartitionedBuffer(BY_KEY);
        EnvelopeBuffer.Claim first = new EnvelopeBuffer.Claim();
        EnvelopeBuffer.Claim second = new EnvelopeBuffer.Claim();
        Envelope a0 = envelope(new Keyed("A", 0));
        Envelope a1 = envelope(new Keyed("A", 1));

        assertThat(buffer.add(a0, "A")).isTrue();
        assertThat(buffer.poll(first)).isSameAs(a0);
        assertThat(buffer.add(a1, "A")).isFalse();
        assertThat(buffer.poll(second)).isNull();
        assertThat(buffer.size()).isEqualTo(1);

        buffer.release(first);
        assertThat(buffer.poll(second)).isSameAs(a1);
        buffer.release(second);
        assertThat(buffer.laneCount()).isZero();
    }

    record Keyed(String key, int sequence) {
    }
}
