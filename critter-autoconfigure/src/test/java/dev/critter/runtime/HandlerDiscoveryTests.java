package dev.critter.runtime;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandlerDiscoveryTests {

    private static final HandlerDiscovery.Found FOUND = new HandlerDiscovery.Found(List.of(String.class), List.of());

    @Test
    void aBackgroundScanRunsOnItsOwnThreadOnceAndItsResultIsWaitedFor() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger scans = new AtomicInteger();
        AtomicReference<String> scanThread = new AtomicReference<>();
        Supplier<HandlerDiscovery.Found> backgroundScan = () -> {
            scans.incrementAndGet();
            scanThread.set(Thread.currentThread().getName());
            await(release);
            return FOUND;
        };
        HandlerDiscovery discovery = new HandlerDiscovery(HandlerDiscoveryTests::noInlineScan);

        discovery.startInBackground(backgroundScan);
        discovery.startInBackground(backgroundScan);
        release.countDown();

        assertThat(discovery.found()).isSameAs(FOUND);
        assertThat(discovery.found()).isSameAs(FOUND);
        assertThat(scans).hasValue(1);
        assertThat(scanThread).hasValue("critter-handler-scan");
    }

    @Test
    void theScanThreadHasEndedWhenTheResultIsReturned() {
        // The thread ends with the scan (docs/how-it-works.md): what counts critter-* threads once
        // the context has started (StartupProbe, user tests) must not see it still winding down.
        for (int i = 0; i < 300; i++) {
            HandlerDiscovery discovery = new HandlerDiscovery(HandlerDiscoveryTests::noInlineScan);
            discovery.startInBackground(() -> FOUND);

            assertThat(discovery.found()).isSameAs(FOUND);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                    thread -> thread.getName().equals("critter-handler-scan"));
        }
    }

    @Test
    void whatTheBackgroundScanThrowsIsThrownAsItWasWhenTheResultIsAskedFor() {
        IllegalStateException problem = new IllegalStateException("bad handler class");
        HandlerDiscovery discovery = new HandlerDiscovery(HandlerDiscoveryTests::noInlineScan);

        discovery.startInBackground(() -> {
            throw problem;
        });

        assertThatThrownBy(discovery::found).isSameAs(problem);
    }

    @Test
    void withoutABackgroundStartTheScanRunsOnTheCallingThread() {
        AtomicReference<Thread> scanThread = new AtomicReference<>();
        HandlerDiscovery discovery = new HandlerDiscovery(() -> {
            scanThread.set(Thread.currentThread());
            return FOUND;
        });

        assertThat(discovery.found()).isSameAs(FOUND);
        assertThat(scanThread).hasValue(Thread.currentThread());
    }

    /** The scan on the calling thread, which must not run once a background scan was started. */
    private static HandlerDiscovery.Found noInlineScan() {
        throw new AssertionError("scanned on the calling thread although a background scan was started");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
