package dev.critter.actuate;

import java.time.Instant;
import java.util.UUID;

import dev.critter.CritterConfigurer;
import dev.critter.DeadLetters;
import dev.critter.autoconfigure.CritterActuatorAutoConfiguration;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.runtime.CritterRuntime;
import dev.critter.testing.MessageTracking;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The actuator endpoints {@code critter} and {@code critterdeadletters}, and the health contributor. */
class CritterActuatorTests {

    public record Ship(String id, boolean fail) { }
    public record Bill(String id) { }

    public static class ShipHandler {
        public void handle(Ship ship) {
            if (ship.fail()) {
                throw new IllegalStateException("no truck for " + ship.id());
            }
        }
    }

    public static class BillHandler {
        public void handle(Bill bill) {
            throw new UnsupportedOperationException("billing is down");
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class,
                    CritterActuatorAutoConfiguration.class, EndpointAutoConfiguration.class))
            .withPropertyValues("critter.handlers.base-packages=" + getClass().getPackageName(),
                    "critter.errors.retry-cooldowns=", "critter.shutdown-timeout=5s",
                    "management.endpoints.web.exposure.include=critter,critterdeadletters");

    @Test
    void isListedInAutoConfigurationImports() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
                .contains(CritterActuatorAutoConfiguration.class.getName());
    }

    @Test
    void theEndpointsExistOnlyWhenExposed() {
        runner.run(context -> assertThat(context).hasSingleBean(CritterEndpoint.class)
                .hasSingleBean(CritterDeadLettersEndpoint.class).hasSingleBean(CritterHealthIndicator.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(CritterEndpoint.class)
                        .doesNotHaveBean(CritterDeadLettersEndpoint.class));
    }

    @Test
    void critterEndpointDescribesChainsWithInvokerTextRoutesQueuesAndPolicies() {
        runner.withBean(CritterConfigurer.class, () -> o -> o.onException(IllegalStateException.class).retryTimes(2))
                .run(context -> {
                    CritterEndpoint.CritterDescription critter = context.getBean(CritterEndpoint.class).critter();
                    assertThat(critter.chains()).extracting(c -> c.handler()).containsExactlyInAnyOrder(
                            BillHandler.class.getName() + ".handle(Bill)", ShipHandler.class.getName() + ".handle(Ship)");
                    assertThat(critter.chains()).allSatisfy(c -> assertThat(c.sourceText()).contains("invoke("));
                    assertThat(critter.durability()).as("no durability here").isNull();
                    assertThat(critter.routes()).containsEntry(Ship.class.getName(), java.util.List.of("local://ship"));
                    assertThat(critter.queues()).extracting(q -> q.name()).containsExactly("bill", "ship");
                    assertThat(critter.queues()).allSatisfy(q -> {
                        assertThat(q.running()).isTrue();
                        assertThat(q.depth()).isZero();
                        assertThat(q.inFlight()).isZero();
                        assertThat(q.parallelism()).isPositive();
                    });
                    assertThat(critter.errorPolicies()).containsExactly(
                            "any message: on java.lang.IllegalStateException: retry, retry, then dead letter",
                            "default: on java.lang.Throwable: dead letter");
                });
    }

    @Test
    void deadLettersAreListedFilteredPagedReadReplayedAndDiscarded() {
        runner.run(context -> {
            MessageTracking tracking = context.getBean(MessageTracking.class).allowingFailures();
            Instant before = Instant.now();
            tracking.publishAndWait(new Ship("s-1", true));
            tracking.publishAndWait(new Ship("s-2", true));
            tracking.publishAndWait(new Bill("b-1"));
            CritterDeadLettersEndpoint endpoint = context.getBean(CritterDeadLettersEndpoint.class);

            CritterDeadLettersEndpoint.DeadLetterList all = endpoint.list(null, null, null, null, null, null, null);
            assertThat(all.next()).isNull();
            assertThat(all.deadLetters()).extracting(d -> d.messageType())
                    .containsExactly(Ship.class.getName(), Ship.class.getName(), Bill.class.getName());
            assertThat(endpoint.list(Ship.class.getName(), null, null, null, null, null, null).deadLetters()).hasSize(2);
            assertThat(endpoint.list(null, "UnsupportedOperationException", null, null, null, null, null).deadLetters())
                    .extracting(d -> d.messageType()).containsExactly(Bill.class.getName());
            assertThat(endpoint.list(null, IllegalStateException.class.getName(), "local://ship", null, null, null, null)
                    .deadLetters()).hasSize(2);
            assertThat(endpoint.list(null, null, null, before.toString(), null, null, null).deadLetters()).hasSize(3);
            assertThat(endpoint.list(null, null, null, null, before.toString(), null, null).deadLetters()).isEmpty();
            CritterDeadLettersEndpoint.DeadLetterList first = endpoint.list(null, null, null, null, null, null, 2);
            assertThat(first.deadLetters()).extracting(d -> d.id())
                    .containsExactly(all.deadLetters().get(0).id(), all.deadLetters().get(1).id());
            assertThat(first.next()).isNotNull();
            CritterDeadLettersEndpoint.DeadLetterList second = endpoint.list(null, null, null, null, null, first.next(), 2);
            assertThat(second.deadLetters()).extracting(d -> d.id()).containsExactly(all.deadLetters().get(2).id());
            assertThat(second.next()).isNull();
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.list(null, null, null, "yesterday", null, null, null))
                    .withMessageContaining("since=yesterday");
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.list(null, null, null, null, null, null, 100_000));
            assertThatExceptionOfType(InvalidEndpointRequestException.class)
                    .isThrownBy(() -> endpoint.list(null, null, null, null, null, "page-2", null))
                    .withMessageContaining("after=page-2");

            UUID bill = all.deadLetters().get(2).id();
            CritterDeadLettersEndpoint.DeadLetterDetail detail = endpoint.deadLetter(bill);
            assertThat(detail).isNotNull();
            assertThat(detail.summary().message()).isEqualTo(new Bill("b-1").toString());
            assertThat(detail.stackTrace()).contains("billing is down");
            assertThat(endpoint.deadLetter(UUID.randomUUID())).as("unknown id: 404").isNull();

            assertThat(endpoint.discard(bill).outcome()).isEqualTo("discarded");
            assertThat(endpoint.discard(bill).outcome()).isEqualTo("not found");

            UUID ship = all.deadLetters().get(0).id();
            tracking.executeAndWait(() -> assertThat(endpoint.replay(ship).outcome()).isEqualTo("replayed"));
            // Ship s-1 fails again: replayed to its handler, back in the dead letters under a new id.
            assertThat(context.getBean(DeadLetters.class).find(ship)).isEmpty();
            assertThat(endpoint.list(Ship.class.getName(), null, null, null, null, null, null).deadLetters()).hasSize(2);
            assertThat(endpoint.replay(UUID.randomUUID()).outcome()).isEqualTo("not found");
            assertThat(detail.rawBody()).isNull();
        });
    }

    @Test
    void healthIsUpWhileTheQueuesRunAndDownOnceTheyStopped() {
        runner.run(context -> {
            CritterHealthIndicator health = context.getBean(CritterHealthIndicator.class);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(health.health().getDetails()).containsKey("queues");

            context.getBean(CritterRuntime.class).stop();
            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void theHealthContributorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.critter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CritterHealthIndicator.class));
    }

    @Test
    void withoutCritterThereIsNeitherEndpointNorHealth() {
        runner.withPropertyValues("critter.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(CritterEndpoint.class).doesNotHaveBean(CritterHealthIndicator.class));
    }
}
