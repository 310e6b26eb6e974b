package dev.critter.invoker;

import java.util.function.Supplier;

/**
 * Where one handler parameter's value comes from, decided once at start-up.
 */
public sealed interface ArgumentSource {

    /**
     * Returns how the argument is resolved, in words, for diagnostics.
     * @return how the argument is resolved, in words, for diagnostics
     */
    String describe();

    /** The message itself (the first parameter). */
    record Message() implements ArgumentSource {
        @Override
        public String describe() {
            return "the message";
        }
    }

    /**
     * A Spring bean resolved at start-up.
     * @param bean the bean instance
     * @param description e.g. {@code bean 'emailSender' (EmailSender)}
     */
    record Bean(Object bean, String description) implements ArgumentSource {
        @Override
        public String describe() {
            return description;
        }
    }

    /** The current {@link dev.critter.MessageContext} (also for {@link dev.critter.IMessageBus} parameters). */
    record Context() implements ArgumentSource {
        @Override
        public String describe() {
            return "the message context";
        }
    }

    /** The current {@link dev.critter.Envelope}. */
    record EnvelopeArg() implements ArgumentSource {
        @Override
        public String describe() {
            return "the envelope";
        }
    }

    /** The tenant id of the current message ({@code @TenantId String}). */
    record TenantIdArg() implements ArgumentSource {
        @Override
        public String describe() {
            return "the tenant id";
        }
    }

    /**
     * One envelope header ({@code @Header("name") String}).
     * @param name the header name
     */
    record HeaderArg(String name) implements ArgumentSource {
        @Override
        public String describe() {
            return "header '" + name + "'";
        }
    }

    /**
     * A per-message value that neither the message nor its context carries, fetched from a
     * supplier decided at start-up on every call: a transactional handler's JDBC {@code Connection}.
     * @param supplier gives the value, on the thread that runs the handler
     * @param type what the supplier gives, checked against the parameter at start-up
     * @param description e.g. {@code the transaction's connection}
     */
    record Supplied(Supplier<?> supplier, Class<?> type, String description) implements ArgumentSource {
        @Override
        public String describe() {
            return description;
        }
    }
}
