package dev.critter.sample.reports;

/**
 * Someone asks for a report. Routed to the queue "report-request": one worker, room for 2 waiting.
 * @param id the report's id
 */
public record ReportRequest(String id) {
}
