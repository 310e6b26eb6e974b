package dev.critter.sample;

import dev.critter.CritterConfigurer;
import dev.critter.sample.audit.AuditEvent;
import dev.critter.sample.orders.PaymentDeclined;
import dev.critter.sample.reports.ReportRequest;
import dev.critter.sample.stock.StockChanged;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static java.time.Duration.ofMillis;

/**
 * All of the sample's messaging configuration in one place. Everything else is convention:
 * a message type with a handler goes to a local queue named after it ({@code PlaceOrder} →
 * {@code place-order}), handled in parallel by as many workers as there are processors.
 * Each setting here has a property twin under {@code critter.local.queues.<name>.*}
 * (see application.yml).
 */
@Configuration(proxyBeanMethods = false)
public class SampleMessaging {

    @Bean
    CritterConfigurer sampleQueues() {
        return o -> {
            // Audit events are recorded one at a time, in the order they were published.
            // A rule takes a type away from its conventional queue: every handler of an
            // AuditEvent runs on "audit". (Property twin: critter.local.queues.audit.sequential=true)
            o.publish(r -> r.messagesImplementing(AuditEvent.class).toLocalQueue("audit"));
            o.localQueue("audit").sequential();

            // Stock changes of one product are applied in publish order, one at a time; other
            // products meanwhile proceed in parallel, up to 4 at once.
            // (Property twin: critter.local.queues.stock.partition-by=productId)
            o.publish(r -> r.message(StockChanged.class).toLocalQueue("stock"));
            o.localQueue("stock").partitionedBy(StockChanged.class, StockChanged::productId)
                    .maximumParallelMessages(4);

            // Reports are slow: one worker, and room for 2 waiting. A publisher outside handlers
            // that finds the queue full waits for room (back-pressure), up to
            // critter.local.publish-timeout, then gets QueueFullException.
            o.localQueueFor(ReportRequest.class).maximumParallelMessages(1).capacity(2);

            // A declined card is retried twice after short cooldowns, then kept as a dead letter
            // (GET /actuator/critterdeadletters) until someone replays or discards it.
            o.onException(PaymentDeclined.class)
                    .retryWithCooldown(ofMillis(100), ofMillis(200))
                    .then().moveToDeadLetterQueue();
        };
    }
}
