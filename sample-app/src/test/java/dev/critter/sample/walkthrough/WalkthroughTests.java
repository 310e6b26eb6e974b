package dev.critter.sample.walkthrough;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.critter.sample.SampleAppTest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up walkthrough tells every flow, and every check in it comes out right. */
@SampleAppTest
class WalkthroughTests {

    @Autowired Walkthrough walkthrough;

    @Test
    void walkthroughTellsEveryFlowAndEveryCheckHolds() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        walkthrough.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String told = buffer.toString(StandardCharsets.UTF_8);

        assertThat(told).contains(
                "Database: PostgreSQL 15.", "(embedded: started by the sample, deleted when it stops)",
                "in schema \"critter\":", "critter_outgoing_envelopes",
                "+- OrderPlaced", "-> OrderHandler",
                "2. The transactional outbox: an order's row and its messages commit together",
                "PaymentDue (delayed 2.0 s)   -> PaymentDeadlineConsumer",
                "x kettle, $59.98, PAID; its PlaceOrder handled once: yes",
                "PaymentHandler is @Transactional", "because the method is @Transactional)",
                "x mug, $6.50, CANCELLED",
                "3. A rollback: nothing of a refused order is kept or sent",
                "-> CardLimitExceeded: card ending 4242 allows at most $1,000.00 per order; this one came to $1,199.60.",
                "in sample.orders: none", "messages handled: 0,",
                "recorded in publish order: yes; at most 1 audit handler at once",
                "kettle  applied [1, 2, 3, 4]  in publish order: yes",
                "SignUpReminder (delayed 0.2 s)",
                "reply: Quote[sku=kettle, quantity=3, unitPriceCents=2999, discountPercent=0, totalCents=8997]",
                "(messages published: 0",
                "reply: Quote[sku=mug, quantity=12, unitPriceCents=650, discountPercent=10, totalCents=7020]",
                "PaymentHandler FAILED 3x -> dead letters",
                "dev.critter.sample.orders.PaymentDeclined: Card ending 0000 declined for order o-2",
                "refused: yes; teapot still at", "stock below zero anywhere: no",
                "9. A dead letter replayed successfully", "-> dead-lettered after 3 failed attempts",
                "-> replayed to PaymentHandler only: yes; payment captured: yes; dead letter gone: yes",
                "10. Back-pressure: a full queue makes the publisher wait",
                "queue depth 2 of capacity 2",
                "it waits for room instead of piling up messages: yes",
                "the publisher returns: yes",
                "reports written in order: [r-1, r-2, r-3, r-4]",
                "tenants on the 3 envelopes: [acme]; @TenantId String tenant in the e-mail handlers: [acme]",
                "// Invoker for dev.critter.sample.signup.WelcomeEmailConsumer.consume(UserSignedUp, String)",
                "stock                  partitioned  parallelism 4   capacity 10,000  in memory");
        assertThat(told).doesNotContain(": NO", " NO;", "YES");
        // 13 to 19 digits, maybe grouped by spaces or dashes; not a run of digits inside a UUID (hex and dashes around it)
        assertThat(told).as("no full card number in the tour")
                .doesNotContainPattern("(?<![0-9A-Fa-f-])(?:\\d[ -]?){12,18}\\d(?![0-9A-Fa-f-])");
    }
}
