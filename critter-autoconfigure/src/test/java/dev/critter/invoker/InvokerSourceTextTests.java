package dev.critter.invoker;

import static dev.critter.invoker.InvokerFactoryTests.method;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.critter.invoker.ArgumentSource.Bean;
import dev.critter.invoker.ArgumentSource.Context;
import dev.critter.invoker.ArgumentSource.EnvelopeArg;
import dev.critter.invoker.ArgumentSource.HeaderArg;
import dev.critter.invoker.ArgumentSource.Message;
import dev.critter.invoker.ArgumentSource.TenantIdArg;
import dev.critter.invoker.TestHandlers.Counter;
import dev.critter.invoker.TestHandlers.EveryArgumentHandler;
import dev.critter.invoker.TestHandlers.PingConsumer;
import dev.critter.invoker.TestHandlers.PingHandler;
import dev.critter.invoker.TestHandlers.ShoutingPingConsumer;
import dev.critter.invoker.TestHandlers.StaticPingHandler;

import org.junit.jupiter.api.Test;

class InvokerSourceTextTests {

    private final InvokerFactory factory = new InvokerFactory();

    @Test
    void namesTheMethodEachArgumentAndTheReturnTypeInCallOrder() {
        HandlerInvoker invoker = factory.create(method(EveryArgumentHandler.class, "handle"), new EveryArgumentHandler(),
                List.of(new Message(), new Bean(new Counter(), "bean 'counter' (Counter)"), new Context(), new Context(),
                        new EnvelopeArg(), new TenantIdArg(), new HeaderArg("x-\"trace\"")));

        assertThat(invoker.sourceText()).isEqualTo("""
                // Invoker for dev.critter.invoker.TestHandlers.EveryArgumentHandler.handle(TestHandlers.Ping, \
                TestHandlers.Counter, MessageContext, IMessageBus, Envelope, String, String) [hidden-class]
                public Object invoke(Object message, MessageContext context) {
                    TestHandlers.EveryArgumentHandler handler = HANDLER;                 // the handler
                    TestHandlers.Ping m = (TestHandlers.Ping) message;                   // the message
                    TestHandlers.Counter arg1 = ARG1;                                    // bean 'counter' (Counter)
                    Envelope arg4 = context.envelope();                                  // the envelope
                    String arg5 = context.tenantId();                                    // the tenant id
                    String arg6 = context.envelope().headers().get("x-\\"trace\\"");       // header 'x-"trace"'
                    return handler.handle(m, arg1, context, context, arg4, arg5, arg6);  // returns TestHandlers.Received
                }
                """);
    }

    @Test
    void showsAVoidCallFollowedByReturnNull() {
        HandlerInvoker invoker = factory.create(method(PingHandler.class, "remember"), new PingHandler(),
                List.of(new Message()));

        assertThat(invoker.sourceText()).contains("""
                    handler.remember(m);                                // returns void
                    return null;
                }
                """);
    }

    @Test
    void notesTheBoxingOfAPrimitiveReturnValue() {
        HandlerInvoker invoker = factory.create(method(PingHandler.class, "count"), new PingHandler(),
                List.of(new Message(), new Bean(new Counter(), "bean 'counter' (Counter)")));

        assertThat(invoker.sourceText()).contains("return Long.valueOf(handler.count(m, arg1));")
                .contains("// returns long, boxed");
    }

    @Test
    void callsAStaticMethodOnItsClassWithoutAHandler() {
        HandlerInvoker invoker = factory.create(method(StaticPingHandler.class, "handle"), null,
                List.of(new Message(), new Bean(new Counter(), "bean 'counter' (Counter)")));

        assertThat(invoker.sourceText()).doesNotContain("HANDLER")
                .contains("return TestHandlers.StaticPingHandler.handle(m, arg1);");
    }

    @Test
    void saysWhenTheHandlerIsCalledThroughAnInterface() {
        HandlerInvoker invoker = factory.create(method(PingConsumer.class, "consume"), new ShoutingPingConsumer(),
                List.of(new Message()));

        assertThat(invoker.sourceText()).contains("TestHandlers.PingConsumer handler = HANDLER;")
                .contains("// the handler, called through its interface");
    }

    @Test
    void marksAMethodHandleChainAsSuchAndShowsWhatItDoes() {
        HandlerInvoker invoker = new InvokerFactory(false).create(method(PingHandler.class, "handle"), new PingHandler(),
                List.of(new Message()));

        assertThat(invoker.sourceText()).startsWith("""
                // Invoker for dev.critter.invoker.TestHandlers.PingHandler.handle(TestHandlers.Ping) [method-handle]
                // a method handle chain (handler bound, beans inserted, the other arguments taken from message and \
                context) that does:
                public Object invoke(Object message, MessageContext context) {
                """).contains("return handler.handle(m);");
    }

    @Test
    void rendersTheSameTextEveryTime() {
        List<ArgumentSource> arguments = List.of(new Message(), new Bean(new Counter(), "bean 'counter' (Counter)"));

        String first = factory.create(method(StaticPingHandler.class, "handle"), null, arguments).sourceText();
        String second = factory.create(method(StaticPingHandler.class, "handle"), null, arguments).sourceText();

        assertThat(first).isEqualTo(second);
    }
}
