package dev.critter.discovery.nearmiss;

import dev.critter.NotHandler;

/** Handler classes with the mistakes a newcomer makes, each on its own message type. */
public final class NearMissHandlers {

    private NearMissHandlers() {
    }

    public record Forgotten(String id) { }
    public record Hidden(String id) { }
    public record Fine(String id) { }
    public record Silenced(String id) { }

    /** A handler method without {@code public}: Java's default visibility. */
    public static class ForgottenHandler {
        void handle(Forgotten forgotten) {
        }
    }

    /** A handler method that forgot its message parameter. */
    public static class ParameterlessConsumer {
        public void consume() {
        }
    }

    /** A handler class without {@code public}. */
    static class HiddenHandler {
        public void handle(Hidden hidden) {
        }
    }

    /** A real handler with a private helper named like a handler method, excluded on purpose. */
    public static class FineHandler {
        public void handle(Fine fine) {
        }

        @NotHandler
        private void handle(Silenced silenced) {
        }
    }
}
