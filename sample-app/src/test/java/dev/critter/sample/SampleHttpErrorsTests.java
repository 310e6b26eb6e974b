package dev.critter.sample;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import dev.critter.DeadLetters;
import dev.critter.sample.audit.AuditTrail;
import dev.critter.sample.orders.CustomerOrder;
import dev.critter.sample.orders.CustomerOrders;
import dev.critter.sample.orders.PaymentCaptured;
import dev.critter.sample.stock.StockLevels;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the HTTP endpoints refuse, and how: every error is a ProblemDetail whose detail says what is
 * wrong; numbers and bodies are bounded; unknown products and bad quantities are refused the same
 * way everywhere; a card number is never echoed or logged whole.
 */
@SampleAppTest
@ExtendWith(OutputCaptureExtension.class)
class SampleHttpErrorsTests {

    @LocalServerPort int port;
    @Autowired StockLevels stock;
    @Autowired AuditTrail audit;
    @Autowired DeadLetters deadLetters;
    @Autowired CustomerOrders orders;

    RestClient http;

    @BeforeEach
    void client() {
        http = SampleHttp.client(port);
    }

    private ResponseEntity<Map> post(String uri, Object body) {
        return http.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(Map.class);
    }

    private static void assertProblem(ResponseEntity<Map> response, HttpStatus status, String detail) {
        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getBody()).containsEntry("status", status.value()).containsEntry("detail", detail);
    }

    @Test
    void aBadEmailIsAProblemThatSaysWhatIsWrong() {
        assertProblem(post("/signups", Map.of("email", "nobody")), HttpStatus.BAD_REQUEST,
                "email must be an e-mail address like ann@example.com");
        assertProblem(post("/signups", Map.of("email", "a".repeat(250) + "@x.io")), HttpStatus.BAD_REQUEST,
                "email must be at most 254 characters, was 255");
    }

    @Test
    void quantitiesOutsideOneToAHundredAreRefusedByOrdersAndQuotesAlike() {
        for (int quantity : new int[] {0, -3, 101, Integer.MAX_VALUE}) {
            assertProblem(post("/orders", Map.of("sku", "mug", "quantity", quantity, "card", "4242 4242 4242 4242")),
                    HttpStatus.BAD_REQUEST, "quantity must be between 1 and 100, was " + quantity);
            assertProblem(http.get().uri("/quotes/mug?quantity={q}", quantity).retrieve().toEntity(Map.class),
                    HttpStatus.BAD_REQUEST, "quantity must be between 1 and 100, was " + quantity);
        }
    }

    @Test
    void anUnknownProductIsNotFoundForOrdersQuotesAndStockAlike() {
        String detail = "unknown product 'anvil'; try one of [kettle, mug, teapot]";
        assertProblem(post("/orders", Map.of("sku", "anvil", "quantity", 1, "card", "4242 4242 4242 4242")),
                HttpStatus.NOT_FOUND, detail);
        assertProblem(http.get().uri("/quotes/anvil").retrieve().toEntity(Map.class), HttpStatus.NOT_FOUND, detail);
        assertProblem(http.post().uri("/stock/anvil/5").retrieve().toEntity(Map.class), HttpStatus.NOT_FOUND, detail);
    }

    @Test
    void numbersOfTheWrongTypeOrOutOfRangeSayWhichField() {
        assertProblem(post("/orders", Map.of("sku", "mug", "quantity", "lots", "card", "4242 4242 4242 4242")),
                HttpStatus.BAD_REQUEST, "field 'quantity' has a value of the wrong type or out of range");
        assertProblem(post("/orders", "{\"sku\":\"mug\",\"quantity\":99999999999999999999,\"card\":\"4242424242424242\"}"),
                HttpStatus.BAD_REQUEST, "field 'quantity' has a value of the wrong type or out of range");
        assertProblem(http.get().uri("/quotes/mug?quantity=abc").retrieve().toEntity(Map.class),
                HttpStatus.BAD_REQUEST, "quantity must be a whole number");
        assertProblem(http.post().uri("/stock/mug/abc").retrieve().toEntity(Map.class),
                HttpStatus.BAD_REQUEST, "delta must be a whole number");
    }

    @Test
    void stockDeltasAreBounded() {
        assertProblem(http.post().uri("/stock/mug/0").retrieve().toEntity(Map.class), HttpStatus.BAD_REQUEST,
                "delta must not be 0");
        assertProblem(http.post().uri("/stock/mug/-5000").retrieve().toEntity(Map.class), HttpStatus.BAD_REQUEST,
                "delta must be between -1000 and 1000, was -5000");
    }

    @Test
    void malformedAndMissingBodiesSaySo() {
        assertProblem(post("/orders", "{\"sku\": \"mug\", "), HttpStatus.BAD_REQUEST, "the body is not valid JSON");
        assertProblem(http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).retrieve().toEntity(Map.class),
                HttpStatus.BAD_REQUEST, "the body is missing or unreadable; send JSON with Content-Type: application/json");
        assertProblem(post("/orders", Map.of("sku", "mug", "card", "4242 4242 4242 4242")), HttpStatus.BAD_REQUEST,
                "quantity is required");
    }

    @Test
    void aBodyAboveFourKibibytesIsRefusedWhetherItsLengthIsKnownOrNot() throws Exception {
        String big = "{\"email\":\"" + "a".repeat(5_000) + "@example.com\"}";
        assertProblem(post("/signups", big), HttpStatus.CONTENT_TOO_LARGE, "the request body is larger than 4096 bytes");

        // Without Content-Length (chunked), the limit applies while the body is read.
        HttpResponse<String> chunked = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
                        .uri(URI.create("http://localhost:" + port + "/signups"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("the request body is larger than 4096 bytes");
    }

    @Test
    void aCardNumberIsNeverEchoedLoggedOrKeptWhole(CapturedOutput output) {
        ResponseEntity<Map> bad = post("/orders", Map.of("sku", "mug", "quantity", 1, "card", "4111 1111 1111 111x"));
        assertProblem(bad, HttpStatus.BAD_REQUEST, "card must be 12 to 19 digits (spaces and dashes allowed)");

        ResponseEntity<Map> placed = post("/orders", Map.of("sku", "mug", "quantity", 1, "card", "4111 1111 1111 1111"));
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
        assertThat(placed.getBody()).containsEntry("cardEnding", "1111");
        String orderId = (String) placed.getBody().get("orderId");
        await().atMost(Duration.ofSeconds(10)).until(() -> audit.entries().stream()
                .anyMatch(e -> e.event() instanceof PaymentCaptured p && p.orderId().equals(orderId)));
        String row = http.get().uri("/orders/{id}", orderId).retrieve().body(String.class);
        assertThat(row).contains("\"cardEnding\":\"1111\"").doesNotContain("11111");
        assertThat(orders.findById(orderId)).get().extracting(CustomerOrder::getCardEnding).isEqualTo("1111");

        ResponseEntity<Map> declined = post("/orders", Map.of("sku", "mug", "quantity", 1, "card", "4000 0000 0000 0000"));
        String declinedId = (String) declined.getBody().get("orderId");
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list().stream()
                .anyMatch(d -> d.envelope().message().toString().contains("orderId=" + declinedId + ",")));

        assertThat(output.getAll()).doesNotContain("4111 1111 1111 111", "411111111111111", "4000 0000 0000 0000",
                "4000000000000000");
        assertThat(deadLetters.list().toString()).doesNotContain("411111111111111", "4000000000000000");
        assertThat(placed.toString() + declined + bad).doesNotContain("4111 1111", "4000 0000 0000");
    }

    @Test
    void aQuoteShowsItsMoneyFormatted() {
        ResponseEntity<Map> quote = http.get().uri("/quotes/teapot?quantity=12").retrieve().toEntity(Map.class);
        assertThat(quote.getBody()).containsEntry("totalCents", 19_980).containsEntry("total", "$199.80")
                .containsEntry("unitPrice", "$18.50");
    }
}
