package dev.critter.sample.reports;

import dev.critter.sample.Console;

/** Writes reports, one at a time (the "report-request" queue has one worker; see SampleMessaging). */
public class ReportConsumer {

    private final ReportDesk desk;

    public ReportConsumer(ReportDesk desk) {
        this.desk = desk;
    }

    public void consume(ReportRequest request) throws InterruptedException {
        desk.write(request);
        Console.handled("ReportConsumer", "wrote report " + request.id());
    }
}
