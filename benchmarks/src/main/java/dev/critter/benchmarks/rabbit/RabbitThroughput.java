package dev.critter.benchmarks.rabbit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.critter.CritterConfigurer;
import dev.critter.IMessageBus;
import dev.critter.rabbitmq.RabbitTransport;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * RabbitMQ throughput, 1 KB persistent messages on a durable queue, in one run against the broker
 * at 127.0.0.1:5672 (guest/guest): publishing with confirms (Critter's publisher, {@code
 * RabbitTemplate} with correlated confirms awaited per message and awaited after the batch, the raw
 * amqp-client with {@code waitForConfirms} every 100) and consuming with prefetch 100 and
 * concurrency 2, acknowledging each message (Critter's listener, {@code
 * SimpleMessageListenerContainer}, raw amqp-client consumers). Each round runs every subject once,
 * alternating the order; prints each rate, the medians and Critter's ratio to the raw client.
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.critter.benchmarks.rabbit.RabbitThroughput [messages] [rounds]
 * </pre>
 */
public final class RabbitThroughput {

    private static final int PREFETCH = 100;
    private static final int CONCURRENCY = 2;
    private static final int CONFIRM_EVERY = 100;
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String QUEUE = "critter-bench-" + Long.toHexString(System.nanoTime());
    private static final byte[] BODY = ("{\"data\":\"" + "x".repeat(1000) + "\"}").getBytes(StandardCharsets.UTF_8);
    private static final Blob BLOB = new Blob("x".repeat(1000));

    /** The CPU time the last consumer used from its first delivery to its last: this JVM's, the broker's. */
    private static long[] consumedCpu;

    private RabbitThroughput() {
    }

    /**
     * Runs the comparison.
     * @param args optional: messages per round (default 20,000), rounds (default 3)
     * @throws Exception when the broker fails the benchmark
     */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf(Locale.ROOT, "%s, JDK %s, %d CPUs; %,d messages of %d bytes per round, persistent, durable "
                        + "queue; prefetch %d, concurrency %d%n", LocalDate.now(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), messages, BODY.length, PREFETCH, CONCURRENCY);
        ConnectionFactory raw = new ConnectionFactory();
        raw.setHost("127.0.0.1");
        try (Connection connection = raw.newConnection("critter-bench");
             ConfigurableApplicationContext critter = critter(QUEUE + ".critter-out")) {
            Channel admin = connection.createChannel();
            Map<String, List<Double>> publish = new LinkedHashMap<>();
            Map<String, List<Double>> consume = new LinkedHashMap<>();
            CachingConnectionFactory spring = new CachingConnectionFactory("127.0.0.1");
            spring.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
            try {
                for (int round = 0; round <= rounds; round++) {
                    boolean warmUp = round == 0;
                    List<Subject> publishers = List.of(
                            new Subject("critter", () -> critterPublish(critter, messages)),
                            new Subject("template-each", () -> templatePublish(spring, messages, true)),
                            new Subject("template-batch", () -> templatePublish(spring, messages, false)),
                            new Subject("raw", () -> rawPublish(connection, messages, false)),
                            new Subject("raw-headers", () -> rawPublish(connection, messages, true)));
                    run(round, warmUp, messages, publishers, publish, admin);
                    List<Subject> consumers = List.of(
                            new Subject("critter", () -> critterConsume(admin, connection, messages)),
                            new Subject("container", () -> containerConsume(admin, connection, spring, messages)),
                            new Subject("raw", () -> rawConsume(admin, connection, messages)));
                    run(round, warmUp, messages, consumers, consume, admin);
                }
            } finally {
                spring.destroy();
                for (String queue : List.of(QUEUE, QUEUE + ".dlq", QUEUE + ".critter-out", QUEUE + ".critter-out.dlq")) {
                    admin.queueDelete(queue);
                }
            }
            report("publish (confirmed)", publish);
            report("consume (acked)", consume);
        }
    }

    private record Subject(String name, Measured measured) {
    }

    @FunctionalInterface
    private interface Measured {
        double rate() throws Exception;
    }

    private static void run(int round, boolean warmUp, int messages, List<Subject> subjects, Map<String, List<Double>> rates,
                            Channel admin) throws Exception {
        List<Subject> order = new ArrayList<>(subjects);
        // -Dbench.subjects=critter,raw runs only those (a profile, a quick look); default: all of them.
        String only = System.getProperty("bench.subjects");
        if (only != null) {
            List<String> names = List.of(only.split(","));
            order.removeIf(subject -> !names.contains(subject.name()));
        }
        if (round % 2 == 0) {
            java.util.Collections.reverse(order);
        }
        for (Subject subject : order) {
            declareQueue(admin);
            long javaCpu = CpuTime.java();
            long brokerCpu = CpuTime.broker();
            double rate = subject.measured().rate();
            javaCpu = CpuTime.java() - javaCpu;
            brokerCpu = brokerCpu < 0 ? -1 : CpuTime.broker() - brokerCpu;
            if (consumedCpu != null) {
                // A consumer: from its first delivery to its last, without filling the queue or starting up.
                javaCpu = consumedCpu[0];
                brokerCpu = consumedCpu[1];
                consumedCpu = null;
            }
            admin.queuePurge(QUEUE);
            if (!warmUp) {
                rates.computeIfAbsent(subject.name(), k -> new ArrayList<>()).add(rate);
                System.out.printf(Locale.ROOT, "round %d  %-15s %,10.0f msg/s   cpu per message: this JVM %,6.1f us, "
                        + "broker %s%n", round, subject.name(), rate, javaCpu / 1e3 / messages,
                        brokerCpu < 0 ? "?" : String.format(Locale.ROOT, "%,6.1f us", brokerCpu / 1e3 / messages));
            }
        }
    }

    /** The queue as Critter declares it (with its dead-letter arguments), so every subject uses the same one. */
    private static void declareQueue(Channel admin) throws Exception {
        admin.exchangeDeclare("critter.dead-letter", "direct", true);
        admin.queueDeclare(QUEUE + ".dlq", true, false, false, null);
        admin.queueBind(QUEUE + ".dlq", "critter.dead-letter", QUEUE);
        admin.queueDeclare(QUEUE, true, false, false,
                Map.of("x-dead-letter-exchange", "critter.dead-letter", "x-dead-letter-routing-key", QUEUE));
    }

    private static ConfigurableApplicationContext critter(String queue) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("critter.handlers.base-packages", Blob.class.getPackageName());
        properties.put("critter.rabbitmq.enabled", true);
        properties.put("spring.rabbitmq.host", "127.0.0.1");
        properties.put("bench.publish-queue", queue);
        properties.put("logging.level.root", "WARN");
        return new SpringApplicationBuilder(CritterBenchmarkApplication.class).web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).properties(properties).run();
    }

    private static double critterPublish(ConfigurableApplicationContext context, int messages) throws Exception {
        IMessageBus bus = context.getBean(IMessageBus.class);
        RabbitTransport transport = context.getBean(RabbitTransport.class);
        long target = transport.confirmedCount() + messages;
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            bus.publish(BLOB);
        }
        long handedOver = System.nanoTime();
        await(() -> transport.confirmedCount() >= target);
        if (Boolean.getBoolean("bench.detail")) {
            System.out.printf(Locale.ROOT, "    critter: publish calls %,.0f msg/s, then confirms%n",
                    messages * 1e9 / (handedOver - start));
        }
        double rate = messages * 1e9 / (System.nanoTime() - start);
        context.getBean(Channels.class).purge(context.getEnvironment().getRequiredProperty("bench.publish-queue"));
        return rate;
    }

    private static double templatePublish(CachingConnectionFactory connections, int messages, boolean each)
            throws Exception {
        RabbitTemplate template = new RabbitTemplate(connections);
        MessageProperties properties = new MessageProperties();
        properties.setContentType("application/json");
        Message message = new Message(BODY, properties);
        List<CompletableFuture<CorrelationData.Confirm>> confirms = new ArrayList<>(each ? 0 : messages);
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            CorrelationData correlation = new CorrelationData(Integer.toString(i));
            template.send("", QUEUE, message, correlation);
            if (each) {
                requireAck(correlation.getFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            } else {
                confirms.add(correlation.getFuture());
            }
        }
        for (CompletableFuture<CorrelationData.Confirm> confirm : confirms) {
            requireAck(confirm.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return messages * 1e9 / (System.nanoTime() - start);
    }

    private static void requireAck(CorrelationData.Confirm confirm) {
        if (!confirm.ack()) {
            throw new IllegalStateException("RabbitMQ nacked a message: " + confirm.reason());
        }
    }

    private static double rawPublish(Connection connection, int messages, boolean critterHeaders) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).build();
            long start = System.nanoTime();
            for (int i = 1; i <= messages; i++) {
                channel.basicPublish("", QUEUE, critterHeaders ? critterProperties() : persistent, BODY);
                if (i % CONFIRM_EVERY == 0) {
                    channel.waitForConfirmsOrDie(WAIT.toMillis());
                }
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
            return messages * 1e9 / (System.nanoTime() - start);
        }
    }

    /**
     * The properties and headers Critter's wire format gives a message (SPEC §12), built per message as
     * a careful hand-written client would, so {@code raw-headers} shows what the wire format costs the
     * broker and the client without anything else of Critter's.
     */
    private static AMQP.BasicProperties critterProperties() {
        String id = java.util.UUID.randomUUID().toString();
        String type = Blob.class.getName();
        Map<String, Object> headers = new java.util.HashMap<>(16);
        headers.put("critter-id", id);
        headers.put("critter-message-type", type);
        headers.put("critter-correlation-id", id);
        headers.put("critter-sent-at", java.time.Instant.now().toString());
        headers.put("critter-attempts", "0");
        return new AMQP.BasicProperties.Builder().messageId(id).correlationId(id).type(type)
                .contentType("application/json").deliveryMode(2).headers(headers).build();
    }

    /** Fills the queue with Critter-format messages (type header), as every consumer then reads them. */
    private static void fill(Connection connection, int messages) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).type(Blob.class.getName()).build();
            for (int i = 1; i <= messages; i++) {
                channel.basicPublish("", QUEUE, properties, BODY);
                if (i % CONFIRM_EVERY == 0) {
                    channel.waitForConfirmsOrDie(WAIT.toMillis());
                }
            }
            channel.waitForConfirmsOrDie(WAIT.toMillis());
        }
    }

    private static double critterConsume(Channel admin, Connection connection, int messages) throws Exception {
        fill(connection, messages);
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("critter.handlers.base-packages", Blob.class.getPackageName());
        properties.put("critter.rabbitmq.enabled", true);
        properties.put("spring.rabbitmq.host", "127.0.0.1");
        properties.put("critter.rabbitmq.listeners[0].queue", QUEUE);
        properties.put("critter.rabbitmq.listeners[0].parallelism", CONCURRENCY);
        properties.put("critter.rabbitmq.listeners[0].prefetch", Integer.getInteger("bench.critter-prefetch", PREFETCH));
        properties.put("logging.level.root", "WARN");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CritterBenchmarkApplication.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false).properties(properties)
                .run()) {
            Received received = context.getBean(Received.class);
            await(() -> received.count() >= messages);
            consumedCpu = received.cpuSinceFirst();
            return received.rate();
        }
    }

    private static double containerConsume(Channel admin, Connection connection, CachingConnectionFactory connections,
                                           int messages) throws Exception {
        fill(connection, messages);
        Received received = new Received();
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(QUEUE);
        container.setConcurrentConsumers(CONCURRENCY);
        container.setPrefetchCount(PREFETCH);
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setMessageListener(message -> received.one());
        container.start();
        try {
            await(() -> received.count() >= messages);
            consumedCpu = received.cpuSinceFirst();
            return received.rate();
        } finally {
            container.stop();
        }
    }

    private static double rawConsume(Channel admin, Connection connection, int messages) throws Exception {
        fill(connection, messages);
        Received received = new Received();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY; i++) {
            Channel channel = connection.createChannel();
            channel.basicQos(PREFETCH);
            channel.basicConsume(QUEUE, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws java.io.IOException {
                    received.one();
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            });
            channels.add(channel);
        }
        try {
            await(() -> received.count() >= messages);
            consumedCpu = received.cpuSinceFirst();
            return received.rate();
        } finally {
            for (Channel channel : channels) {
                channel.close();
            }
        }
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Not done within " + WAIT);
            }
            Thread.sleep(1);
        }
    }

    private static void report(String what, Map<String, List<Double>> rates) {
        System.out.println(what + ", median msg/s:");
        double raw = rates.containsKey("raw") ? median(rates.get("raw")) : Double.NaN;
        rates.forEach((name, values) -> System.out.printf(Locale.ROOT, "  %-15s %,10.0f  (%.2f x raw)%n", name,
                median(values), median(values) / raw));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Critter as an application gets it: auto-configured, scanning only this package. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CritterBenchmarkApplication {

        @Bean
        Received received() {
            return new Received();
        }

        @Bean
        Channels channels(org.springframework.amqp.rabbit.connection.ConnectionFactory connections) {
            return new Channels(connections);
        }

        /** The publish subject's route, when the property names one. */
        @Bean
        CritterConfigurer benchmarkRoutes(Environment environment) {
            String queue = environment.getProperty("bench.publish-queue");
            return options -> {
                if (queue != null) {
                    options.publish(r -> r.message(Blob.class).toRabbitQueue(queue));
                }
            };
        }
    }

    /** Purges the publish subject's queue between rounds, so it never grows across the run. */
    static final class Channels {
        private final org.springframework.amqp.rabbit.connection.ConnectionFactory connections;

        Channels(org.springframework.amqp.rabbit.connection.ConnectionFactory connections) {
            this.connections = connections;
        }

        void purge(String queue) throws Exception {
            try (Channel channel = connections.createConnection().createChannel(false)) {
                channel.queuePurge(queue);
            }
        }
    }
}
