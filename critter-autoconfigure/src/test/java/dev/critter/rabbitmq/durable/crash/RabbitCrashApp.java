package dev.critter.rabbitmq.durable.crash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.critter.rabbitmq.durable.app.DurableListenerMessages;
import dev.critter.support.JdbcTestApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application of the durable-listener crash test, run in a child JVM that the test kills
 * with SIGKILL (and in the test's own JVM to finish what the killed one left). {@code main(url,
 * user, password, queue, spring.rabbitmq.*=...)}: a durable listener on {@code queue} whose
 * transactional handler books each entry ({@link DurableListenerMessages.BookingHandler}).
 */
public final class RabbitCrashApp {

    private RabbitCrashApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        start(args[0], args[1], args[2], args[3], Arrays.copyOfRange(args, 4, args.length));
        // Stays up, handling, until the test kills it (queue workers are daemon threads).
        Thread.currentThread().join();
    }

    /**
     * Starts the application: a durable listener on the queue, short node leases.
     * @param url the database
     * @param user its user
     * @param password its password
     * @param queue the queue listened to
     * @param broker the broker's {@code spring.rabbitmq.*=value} properties
     * @return the running application
     */
    public static ConfigurableApplicationContext start(String url, String user, String password, String queue,
                                                       String... broker) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.main.banner-mode=off", "spring.application.name=rabbit-crash",
                "spring.datasource.url=" + url, "spring.datasource.username=" + user,
                "spring.datasource.password=" + password, "spring.datasource.hikari.maximum-pool-size=10",
                "critter.handlers.base-packages=" + DurableListenerMessages.class.getPackageName(),
                "critter.rabbitmq.enabled=true", "critter.rabbitmq.listeners[0].queue=" + queue,
                "critter.rabbitmq.listeners[0].durable=true", "critter.rabbitmq.listeners[0].parallelism=4",
                "critter.rabbitmq.listeners[0].prefetch=200",
                "critter.durability.poll-interval=200ms", "critter.durability.node-heartbeat=200ms",
                "critter.durability.node-lease=2s", "critter.shutdown-timeout=5s"));
        properties.addAll(List.of(broker));
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @JdbcTestApplication
    static class App {
    }
}
