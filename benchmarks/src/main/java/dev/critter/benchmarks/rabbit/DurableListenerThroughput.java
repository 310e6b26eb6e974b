package dev.critter.benchmarks.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A durable (inbox-backed) RabbitMQ listener beside a buffered one, in one run: 1 KB persistent
 * messages pre-filled on a durable queue at 127.0.0.1:5672 (guest/guest), consumed by a Critter
 * listener with the same parallelism and prefetch, durable (each delivery stored in PostgreSQL in
 * batched inserts and acked after the commit, then handled and its row deleted) or buffered (acked
 * after handling). PostgreSQL is the server at the JDBC URL (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}), schema
 * {@code critter_bench_rabbit}. Rates are measured from the first handled message to the last.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.rabbit.DurableListenerThroughput [messages] [rounds] [prefetch] [jdbc-url]
 * </pre>
 */
public final class DurableListenerThroughput {

    private static final int PARALLELISM = 2;
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String QUEUE = "critter-bench-durable-" + Long.toHexString(System.nanoTime());
    private static final byte[] BODY = ("{\"data\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8);

    private DurableListenerThroughput() {
    }

    /**
     * Runs the comparison.
     * @param args optional: messages per round (default 20,000), rounds (default 3), prefetch (default 100),
     *             JDBC URL (default {@code jdbc:postgresql://127.0.0.1:5432/test})
     * @throws Exception when the broker or the database fails the benchmark
     */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int prefetch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String url = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:5432/test";
        System.out.printf(Locale.ROOT, "%s, JDK %s, %d CPUs; %,d messages of %d bytes per round, persistent, durable "
                        + "queue; parallelism %d, prefetch %d; PostgreSQL %s%n", LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), messages, BODY.length,
                PARALLELISM, prefetch, url);
        ConnectionFactory raw = new ConnectionFactory();
        raw.setHost("127.0.0.1");
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        try (Connection connection = raw.newConnection("critter-bench")) {
            Channel admin = connection.createChannel();
            try {
                for (int round = 0; round <= rounds; round++) {
                    for (int i = 0; i < 2; i++) {
                        boolean durable = (round + i) % 2 == 0;
                        admin.queueDeclare(QUEUE, true, false, false, Map.of("x-dead-letter-exchange",
                                "critter.dead-letter", "x-dead-letter-routing-key", QUEUE));
                        fill(connection, messages);
                        double rate = consume(durable, messages, prefetch, url);
                        if (round > 0) {
                            rates.computeIfAbsent(durable ? "durable" : "buffered", k -> new ArrayList<>()).add(rate);
                            System.out.printf(Locale.ROOT, "round %d  %-9s %,10.0f msg/s%n", round,
                                    durable ? "durable" : "buffered", rate);
                        }
                        admin.queuePurge(QUEUE);
                    }
                }
            } finally {
                admin.queueDelete(QUEUE);
                admin.queueDelete(QUEUE + ".dlq");
            }
        }
        double buffered = median(rates.get("buffered"));
        double durable = median(rates.get("durable"));
        System.out.printf(Locale.ROOT, "median   buffered  %,10.0f msg/s%nmedian   durable   %,10.0f msg/s  (%.2f x buffered)%n",
                buffered, durable, durable / buffered);
    }

    /** Critter-format messages (type header, a unique message id), confirmed every 100. */
    private static void fill(Connection connection, int messages) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            for (int i = 1; i <= messages; i++) {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                        .deliveryMode(2).type(Blob.class.getName()).messageId(UUID.randomUUID().toString()).build();
                channel.basicPublish("", QUEUE, properties, BODY);
                if (i % 100 == 0) {
                    channel.waitForConfirmsOrDie(WAIT.toMillis());
                }
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
    }

    private static double consume(boolean durable, int messages, int prefetch, String url) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("critter.handlers.base-packages", Blob.class.getPackageName());
        properties.put("critter.rabbitmq.enabled", true);
        properties.put("spring.rabbitmq.host", "127.0.0.1");
        properties.put("critter.rabbitmq.listeners[0].queue", QUEUE);
        properties.put("critter.rabbitmq.listeners[0].parallelism", PARALLELISM);
        properties.put("critter.rabbitmq.listeners[0].prefetch", prefetch);
        properties.put("critter.rabbitmq.listeners[0].durable", durable);
        properties.put("critter.durability.schema", "critter_bench_rabbit");
        properties.put("bench.url", url);
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).properties(properties)
                .run()) {
            Received received = context.getBean(Received.class);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.count() < messages) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Not done within " + WAIT + ": " + received.count() + " handled");
                }
                Thread.sleep(1);
            }
            double rate = received.rate();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            if (durable && !"on".equals(jdbc.queryForObject("SHOW fsync", String.class))) {
                System.out.println("WARNING: fsync is off on " + url);
            }
            return rate;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Critter with durability on the benchmark's own pool (the module has no Boot JDBC auto-configuration). */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Received received() {
            return new Received();
        }

        @Bean(destroyMethod = "close")
        com.zaxxer.hikari.HikariDataSource dataSource(Environment environment) {
            com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource();
            pool.setJdbcUrl(environment.getRequiredProperty("bench.url"));
            pool.setUsername("postgres");
            pool.setMaximumPoolSize(PARALLELISM + 6);
            return pool;
        }

        @Bean
        org.springframework.jdbc.datasource.DataSourceTransactionManager transactionManager(DataSource dataSource) {
            return new org.springframework.jdbc.datasource.DataSourceTransactionManager(dataSource);
        }
    }
}
