package dev.critter.sample.reports;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

/**
 * Where reports are written. The walkthrough can {@link #pause()} the desk so the report consumer
 * holds its worker, which fills the small queue and makes publishers wait: back-pressure you can
 * watch without depending on how fast the machine is.
 */
@Component
public class ReportDesk {

    private volatile CountDownLatch open = new CountDownLatch(0);
    private final List<String> written = new CopyOnWriteArrayList<>();

    /** Holds every report consumer at the desk until {@link #resume()}. */
    public void pause() {
        open = new CountDownLatch(1);
    }

    /** Lets the held report consumers go on. */
    public void resume() {
        open.countDown();
    }

    /** Called by the consumer: waits while the desk is paused (at most 30 s), then writes the report. */
    void write(ReportRequest request) throws InterruptedException {
        open.await(30, TimeUnit.SECONDS);
        written.add(request.id());
    }

    /** @return the ids of the reports written, in order */
    public List<String> written() {
        return List.copyOf(written);
    }
}
