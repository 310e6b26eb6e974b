package dev.critter.invoker;

import java.io.IOException;

import dev.critter.Envelope;
import dev.critter.IMessageBus;
import dev.critter.MessageContext;

import org.jspecify.annotations.Nullable;

/** Handlers and messages the invoker tests call. */
public final class TestHandlers {

    private TestHandlers() {
    }

    /** A message. */
    public record Ping(String text) {
    }

    /** A reply. */
    public record Pong(String text) {
    }

    /** A bean handlers take as an argument. */
    public static final class Counter {
        private int count;

        public int next() {
            return ++count;
        }
    }

    /** Everything {@link EveryArgumentHandler} received. */
    public record Received(Ping ping, Counter counter, MessageContext context, IMessageBus bus, Envelope envelope,
                           @Nullable String tenantId, @Nullable String trace) {
    }

    /** Takes one argument of each source. */
    public static class EveryArgumentHandler {
        public Received handle(Ping ping, Counter counter, MessageContext context, IMessageBus bus, Envelope envelope,
                               @Nullable String tenantId, @Nullable String trace) {
            return new Received(ping, counter, context, bus, envelope, tenantId, trace);
        }
    }

    /** Instance methods with every kind of return. */
    public static class PingHandler {
        private @Nullable Ping last;

        public Pong handle(Ping ping) {
            return new Pong(ping.text() + "!");
        }

        public void remember(Ping ping) {
            this.last = ping;
        }

        public int length(Ping ping) {
            return ping.text().length();
        }

        public boolean isEmpty(Ping ping) {
            return ping.text().isEmpty();
        }

        public long count(Ping ping, Counter counter) {
            return counter.next() * 10_000_000_000L;
        }

        public Pong fail(Ping ping) throws IOException {
            throw new IOException("disk full while handling " + ping.text());
        }

        public @Nullable Ping last() {
            return last;
        }
    }

    /** A static handler method. */
    public static final class StaticPingHandler {
        private StaticPingHandler() {
        }

        public static Pong handle(Ping ping, Counter counter) {
            return new Pong(ping.text() + " #" + counter.next());
        }
    }

    /** A handler type that is an interface. */
    public interface PingConsumer {
        Pong consume(Ping ping);

        static Pong echo(Ping ping) {
            return new Pong(ping.text());
        }
    }

    /** An implementation of {@link PingConsumer}. */
    public static final class ShoutingPingConsumer implements PingConsumer {
        @Override
        public Pong consume(Ping ping) {
            return new Pong(ping.text().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** A package-private handler class with a package-private method. */
    static final class PackagePrivateHandler {
        Pong handle(Ping ping) {
            return new Pong("quiet " + ping.text());
        }
    }
}
