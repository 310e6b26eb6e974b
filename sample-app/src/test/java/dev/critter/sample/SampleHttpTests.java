package dev.critter.sample;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.critter.sample.orders.CustomerOrders;
import dev.critter.sample.orders.PaymentDeclined;
import dev.critter.sample.stock.StockLevels;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP endpoints. Requests run on the server's threads, outside any tracked session, so the
 * tests wait for the handlers' effects with Awaitility.
 */
@SampleAppTest
class SampleHttpTests {

    @LocalServerPort int port;
    @Autowired EmailSender email;
    @Autowired StockLevels stock;
    @Autowired CustomerOrders orders;

    RestClient http;

    @BeforeEach
    void client() {
        http = SampleHttp.client(port);
    }

    @Test
    void signUpIsAcceptedAndHandledForTheTenantInTheHeader() {
        String address = "zoe-" + UUID.randomUUID() + "@acme.test";
        ResponseEntity<Map> response = http.post().uri("/signups").header("X-Tenant", "acme")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("email", address)).retrieve().toEntity(Map.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(response.getBody()).containsEntry("email", address).containsEntry("tenant", "acme");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(email.sentTo(address))
                .extracting(EmailSender.Email::tenant).containsExactly("acme", "acme"));
        assertThat(http.post().uri("/signups").contentType(MediaType.APPLICATION_JSON).body(Map.of("email", "nobody"))
                .retrieve().toBodilessEntity().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void anOrderIsStoredPaidAndReadBack() {
        ResponseEntity<Map> placed = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("sku", "teapot", "quantity", 2, "card", "4242 4242 4242 4242")).retrieve().toEntity(Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(placed.getBody()).containsEntry("sku", "teapot").containsEntry("quantity", 2)
                .containsEntry("cardEnding", "4242").containsEntry("total", "$37.00");
        String orderId = (String) placed.getBody().get("orderId");
        assertThat(orderId).matches("o-\\d{4,}");

        Map<String, Object> order = await().atMost(Duration.ofSeconds(30)).until(
                () -> http.get().uri("/orders/{id}", orderId).retrieve().body(new ParameterizedTypeReference<Map<String, Object>>() { }),
                row -> "PAID".equals(row.get("status")));
        assertThat(order).containsEntry("orderId", orderId).containsEntry("totalCents", 3_700)
                .containsEntry("total", "$37.00").containsEntry("cardEnding", "4242").containsKeys("placedAt", "updatedAt");
        assertThat(http.get().uri("/orders/o-0").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void anOrderAboveTheCardLimitIsRefusedAndNothingIsKept() {
        long ordersBefore = orders.count();
        ResponseEntity<Map> refused = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("sku", "teapot", "quantity", 60, "card", "4242 4242 4242 4242")).retrieve().toEntity(Map.class);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(refused.getBody()).containsEntry("detail",
                "card ending 4242 allows at most $1,000.00 per order; this one came to $1,110.00. Nothing was ordered.");
        assertThat(orders.count()).isEqualTo(ordersBefore);
    }

    @Test
    void declinedOrderShowsUpInDeadLettersAndCanBeReplayed() {
        ResponseEntity<Map> placed = http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("sku", "teapot", "quantity", 1, "card", "4000 0000 0000 0000")).retrieve().toEntity(Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        String orderId = (String) placed.getBody().get("orderId");

        Map<String, Object> letter = await().atMost(Duration.ofSeconds(5))
                .until(() -> deadLetterFor(orderId, null), found -> found != null);
        assertThat(letter).containsEntry("exceptionType", "dev.critter.sample.orders.PaymentDeclined")
                .containsEntry("attempts", 3).containsEntry("destination", "local://order-placed");

        assertThat(http.post().uri("/actuator/critterdeadletters/{id}", letter.get("id")).retrieve().body(Map.class))
                .containsEntry("outcome", "replayed");
        await().atMost(Duration.ofSeconds(5)).until(() -> deadLetterFor(orderId, letter.get("id")), found -> found != null);
        assertThat(http.post().uri("/actuator/critterdeadletters/{id}", letter.get("id")).retrieve().body(Map.class))
                .containsEntry("outcome", "not found");
    }

    @Test
    void oneDeadLetterIsReadInFullAndAnUnknownOneIsNotFound() {
        http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("sku", "mug", "quantity", 1, "card", "4000 0000 0000 0000")).retrieve().toBodilessEntity();
        Map<String, Object> letter = await().atMost(Duration.ofSeconds(5))
                .until(() -> deadLetters(null).stream().findFirst().orElse(null), found -> found != null);

        Map<String, Object> detail = http.get().uri("/actuator/critterdeadletters/{id}", letter.get("id")).retrieve()
                .body(new ParameterizedTypeReference<>() { });
        assertThat(maps(List.of(detail.get("summary")))).singleElement()
                .satisfies(summary -> assertThat(summary).containsEntry("id", letter.get("id")));
        assertThat((String) detail.get("stackTrace")).contains("PaymentDeclined");
        assertThat(http.get().uri("/actuator/critterdeadletters/{id}", UUID.randomUUID()).retrieve().toBodilessEntity()
                .getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(http.get().uri("/actuator/critterdeadletters?messageType=no.such.Type").retrieve().body(Map.class))
                .containsEntry("deadLetters", List.of()).containsEntry("next", null);
    }

    @Test
    void quoteIsAnsweredThroughRequestReply() {
        ResponseEntity<Map> quote = http.get().uri("/quotes/teapot?quantity=12").retrieve().toEntity(Map.class);

        assertThat(quote.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(quote.getBody()).containsEntry("sku", "teapot").containsEntry("discountPercent", 10)
                .containsEntry("totalCents", 19_980);
        assertThat(http.get().uri("/quotes/anvil").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void stockChangeIsPublishedAndApplied() {
        // Only catalog products can be changed over HTTP; they start with the catalog's stock.
        int before = stock.level("kettle");
        assertThat(http.post().uri("/stock/{product}/5", "kettle").retrieve().toBodilessEntity().getStatusCode())
                .isEqualTo(HttpStatus.ACCEPTED);

        await().atMost(Duration.ofSeconds(5)).until(() -> stock.level("kettle"), level -> level == before + 5);
        assertThat(http.get().uri("/stock").retrieve().body(Map.class)).containsEntry("kettle", before + 5);
    }

    @Test
    void theCritterEndpointShowsGeneratedInvokersQueuesAndPolicies() {
        Map<String, Object> critter = http.get().uri("/actuator/critter").retrieve()
                .body(new ParameterizedTypeReference<>() { });
        assertThat(maps(critter.get("chains"))).anySatisfy(chain -> assertThat((String) chain.get("sourceText"))
                .contains("Invoker for dev.critter.sample.signup.SignUpHandler.handle(SignUpRequest, String)")
                .contains("String arg1 = context.tenantId();"));
        assertThat(maps(critter.get("queues"))).anySatisfy(q -> assertThat(q).containsEntry("name", "stock")
                .containsEntry("mode", "partitioned").containsEntry("running", true).containsKey("inFlight"));
        assertThat(http.get().uri("/actuator/health/critter").retrieve().body(Map.class)).containsEntry("status", "UP");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }

    private Map<String, Object> deadLetterFor(String orderId, Object otherThan) {
        return deadLetters(PaymentDeclined.class.getName()).stream()
                .filter(d -> ((String) d.get("message")).contains("orderId=" + orderId + ","))
                .filter(d -> !d.get("id").equals(otherThan))
                .findFirst().orElse(null);
    }

    private List<Map<String, Object>> deadLetters(String exceptionType) {
        Map<String, Object> page = http.get()
                .uri(exceptionType == null ? "/actuator/critterdeadletters"
                        : "/actuator/critterdeadletters?exceptionType=" + exceptionType)
                .retrieve().body(new ParameterizedTypeReference<>() { });
        return maps(page.get("deadLetters"));
    }
}
