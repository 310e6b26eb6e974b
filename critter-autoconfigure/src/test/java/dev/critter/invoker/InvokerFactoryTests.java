package dev.critter.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import dev.critter.Envelope;
import dev.critter.MessageContext;
import dev.critter.invoker.ArgumentSource.Bean;
import dev.critter.invoker.ArgumentSource.Context;
import dev.critter.invoker.ArgumentSource.EnvelopeArg;
import dev.critter.invoker.ArgumentSource.HeaderArg;
import dev.critter.invoker.ArgumentSource.Message;
import dev.critter.invoker.ArgumentSource.TenantIdArg;
import dev.critter.invoker.TestHandlers.Counter;
import dev.critter.invoker.TestHandlers.EveryArgumentHandler;
import dev.critter.invoker.TestHandlers.PackagePrivateHandler;
import dev.critter.invoker.TestHandlers.Ping;
import dev.critter.invoker.TestHandlers.PingConsumer;
import dev.critter.invoker.TestHandlers.PingHandler;
import dev.critter.invoker.TestHandlers.Pong;
import dev.critter.invoker.TestHandlers.Received;
import dev.critter.invoker.TestHandlers.ShoutingPingConsumer;
import dev.critter.invoker.TestHandlers.StaticPingHandler;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InvokerFactoryTests {

    private static final Ping PING = new Ping("ping");

    private final MessageContext context = TestMessageContext.of(PING);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void passesEveryKindOfArgument(String kind) throws Throwable {
        Counter counter = new Counter();
        Envelope envelope = TestMessageContext.envelope(PING).tenantId("acme").header("x-trace", "t-1").build();
        MessageContext context = new TestMessageContext(envelope);
        HandlerInvoker invoker = invoker(kind, EveryArgumentHandler.class, "handle", new EveryArgumentHandler(),
                new Message(), new Bean(counter, "bean 'counter' (Counter)"), new Context(), new Context(),
                new EnvelopeArg(), new TenantIdArg(), new HeaderArg("x-trace"));

        Received received = (Received) invoker.invoke(PING, context);

        assertThat(received.ping()).isSameAs(PING);
        assertThat(received.counter()).isSameAs(counter);
        assertThat(received.context()).isSameAs(context);
        assertThat(received.bus()).isSameAs(context);
        assertThat(received.envelope()).isSameAs(envelope);
        assertThat(received.tenantId()).isEqualTo("acme");
        assertThat(received.trace()).isEqualTo("t-1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void passesNullForAMissingTenantAndHeader(String kind) throws Throwable {
        HandlerInvoker invoker = invoker(kind, EveryArgumentHandler.class, "handle", new EveryArgumentHandler(),
                new Message(), new Bean(new Counter(), "bean 'counter' (Counter)"), new Context(), new Context(),
                new EnvelopeArg(), new TenantIdArg(), new HeaderArg("x-trace"));

        Received received = (Received) invoker.invoke(PING, context);

        assertThat(received.tenantId()).isNull();
        assertThat(received.trace()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void fetchesASuppliedArgumentOnEveryCall(String kind) throws Throwable {
        List<Counter> supplied = new java.util.concurrent.CopyOnWriteArrayList<>();
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "count", new PingHandler(), new Message(),
                new ArgumentSource.Supplied(() -> {
                    Counter counter = new Counter();
                    supplied.add(counter);
                    return counter;
                }, Counter.class, "a fresh counter"));

        assertThat(invoker.invoke(PING, context)).isEqualTo(10_000_000_000L);
        assertThat(invoker.invoke(PING, context)).as("a new counter for the second call").isEqualTo(10_000_000_000L);
        assertThat(supplied).hasSize(2);
        assertThat(invoker.sourceText()).contains("Counter arg1 = (TestHandlers.Counter) ARG1.get();")
                .contains("// a fresh counter");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void callsAnInstanceMethodOnTheTarget(String kind) throws Throwable {
        PingHandler handler = new PingHandler();
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "remember", handler, new Message());

        invoker.invoke(PING, context);

        assertThat(handler.last()).isSameAs(PING);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void callsAStaticMethodWithABean(String kind) throws Throwable {
        Counter counter = new Counter();
        HandlerInvoker invoker = invoker(kind, StaticPingHandler.class, "handle", null,
                new Message(), new Bean(counter, "bean 'counter' (Counter)"));

        invoker.invoke(PING, context);

        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("ping #2"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void callsAMethodDeclaredOnAnInterfaceOnTheImplementation(String kind) throws Throwable {
        HandlerInvoker invoker = invoker(kind, PingConsumer.class, "consume", new ShoutingPingConsumer(), new Message());

        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("PING"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void callsAStaticInterfaceMethod(String kind) throws Throwable {
        HandlerInvoker invoker = invoker(kind, PingConsumer.class, "echo", null, new Message());

        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("ping"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void returnsNullForAVoidMethod(String kind) throws Throwable {
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "remember", new PingHandler(), new Message());

        assertThat(invoker.invoke(PING, context)).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void boxesPrimitiveReturnValues(String kind) throws Throwable {
        PingHandler handler = new PingHandler();
        Counter counter = new Counter();

        assertThat(invoker(kind, PingHandler.class, "length", handler, new Message()).invoke(PING, context))
                .isEqualTo(Integer.valueOf(4));
        assertThat(invoker(kind, PingHandler.class, "isEmpty", handler, new Message()).invoke(PING, context))
                .isEqualTo(Boolean.FALSE);
        assertThat(invoker(kind, PingHandler.class, "count", handler, new Message(), new Bean(counter, "counter"))
                .invoke(PING, context)).isEqualTo(Long.valueOf(10_000_000_000L));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void returnsTheObjectTheHandlerReturns(String kind) throws Throwable {
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "handle", new PingHandler(), new Message());

        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("ping!"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void letsACheckedExceptionThroughUnwrapped(String kind) {
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "fail", new PingHandler(), new Message());

        assertThatThrownBy(() -> invoker.invoke(PING, context))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk full while handling ping")
                .hasNoCause();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void leavesNoReflectionFrameBetweenCallerAndHandler(String kind) {
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "fail", new PingHandler(), new Message());

        Throwable thrown = catchThrowable(() -> invoker.invoke(PING, context));

        List<StackTraceElement> frames = framesBelowThisTest(thrown);
        assertThat(frames.get(0).getClassName()).isEqualTo(PingHandler.class.getName());
        assertThat(frames.get(0).getMethodName()).isEqualTo("fail");
        assertThat(frames).extracting(StackTraceElement::toString)
                .noneMatch(frame -> frame.contains("java.lang.reflect.Method.invoke"))
                .noneMatch(frame -> frame.contains("jdk.internal.reflect"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void failsWithClassCastExceptionForAMessageOfAnotherType(String kind) {
        HandlerInvoker invoker = invoker(kind, PingHandler.class, "handle", new PingHandler(), new Message());

        assertThatThrownBy(() -> invoker.invoke("not a ping", context)).isInstanceOf(ClassCastException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {HandlerInvoker.HIDDEN_CLASS, HandlerInvoker.METHOD_HANDLE})
    void callsAPackagePrivateMethodOfAPackagePrivateClass(String kind) throws Throwable {
        HandlerInvoker invoker = invoker(kind, PackagePrivateHandler.class, "handle", new PackagePrivateHandler(),
                new Message());

        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("quiet ping"));
    }

    @Test
    void generatesTheInvocationAtTheFirstCallNotAtCreation() throws Throwable {
        HandlerInvoker invoker = new InvokerFactory().create(method(PingHandler.class, "handle"), new PingHandler(),
                List.of(new Message()));

        assertThat(invoker).asString().endsWith(", not generated yet]");
        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("ping!"));
        assertThat(invoker).asString().endsWith(", hidden-class]");
    }

    @Test
    void concurrentFirstCallsGenerateOneInvocation() throws Exception {
        HandlerInvoker invoker = new InvokerFactory().create(method(PingHandler.class, "handle"), new PingHandler(),
                List.of(new Message()));
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Invocation>> seen = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                seen.add(pool.submit(() -> {
                    start.await();
                    try {
                        assertThat(invoker.invoke(PING, context)).isEqualTo(new Pong("ping!"));
                    } catch (Throwable ex) {
                        throw new AssertionError(ex);
                    }
                    return invoker.invocation();
                }));
            }
            Invocation first = seen.get(0).get(60, java.util.concurrent.TimeUnit.SECONDS);
            for (java.util.concurrent.Future<Invocation> each : seen) {
                assertThat(each.get(60, java.util.concurrent.TimeUnit.SECONDS)).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsStillFailAtCreationThoughGenerationWaitsForTheFirstCall() {
        assertThatIllegalArgumentException().isThrownBy(() -> new InvokerFactory()
                        .create(method(PingHandler.class, "handle"), new PingHandler(), List.of(new Context())))
                .withMessageContaining("PingHandler.handle");
    }

    @Test
    void generatesAHiddenClassForAPublicHandler() throws Throwable {
        HandlerInvoker invoker = new InvokerFactory().create(method(PingHandler.class, "handle"), new PingHandler(),
                List.of(new Message()));

        assertThat(invoker.kind()).isEqualTo(HandlerInvoker.HIDDEN_CLASS);
        assertThat(invoker.invocation().getClass().isHidden()).isTrue();
        assertThat(invoker.invocation().getClass().getName()).startsWith(PingHandler.class.getName());
        assertThat(invoker.method()).isEqualTo(method(PingHandler.class, "handle"));
        assertThat(invoker.sourceText()).contains("[hidden-class]");
    }

    @Test
    void generatesOneHiddenClassPerHandlerInstance() throws Throwable {
        InvokerFactory factory = new InvokerFactory();
        Method method = method(StaticPingHandler.class, "handle");
        HandlerInvoker first = factory.create(method, null, List.of(new Message(), new Bean(new Counter(), "first")));
        HandlerInvoker second = factory.create(method, null, List.of(new Message(), new Bean(new Counter(), "second")));

        first.invoke(PING, context);

        assertThat(first.invocation().getClass()).isNotSameAs(second.invocation().getClass());
        assertThat(first.invoke(PING, context)).isEqualTo(new Pong("ping #2"));
        assertThat(second.invoke(PING, context)).isEqualTo(new Pong("ping #1"));
    }

    @Test
    void rejectsArgumentSourcesThatDoNotMatchTheParameterCount() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method(PingHandler.class, "handle"), new PingHandler(),
                        List.of(new Message(), new Context())))
                .withMessageContaining("TestHandlers.PingHandler.handle(TestHandlers.Ping)")
                .withMessageContaining("has 1 parameters, but 2 argument sources were given");
    }

    @Test
    void rejectsAnInstanceMethodWithoutTarget() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method(PingHandler.class, "handle"), null,
                        List.of(new Message())))
                .withMessageContaining("PingHandler.handle(TestHandlers.Ping) is an instance method and needs a target");
    }

    @Test
    void rejectsATargetForAStaticMethod() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method(StaticPingHandler.class, "handle"), new PingHandler(),
                        List.of(new Message(), new Bean(new Counter(), "counter"))))
                .withMessageContaining("StaticPingHandler.handle(TestHandlers.Ping, TestHandlers.Counter) is static");
    }

    @Test
    void rejectsATargetOfAnotherType() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method(PingHandler.class, "handle"), "a string",
                        List.of(new Message())))
                .withMessageContaining("needs a target of type " + PingHandler.class.getName())
                .withMessageContaining("but got a java.lang.String");
    }

    @Test
    void rejectsABeanOfTheWrongTypeNamingTheParameter() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method(StaticPingHandler.class, "handle"), null,
                        List.of(new Message(), new Bean("text", "bean 'text' (String)"))))
                .withMessageContaining("StaticPingHandler.handle(TestHandlers.Ping, TestHandlers.Counter), parameter 2")
                .withMessageContaining("bean 'text' (String) is a java.lang.String");
    }

    @Test
    void rejectsATenantIdForAParameterThatIsNotAString() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method(StaticPingHandler.class, "handle"), null,
                        List.of(new Message(), new TenantIdArg())))
                .withMessageContaining("parameter 2 (" + Counter.class.getName() + "): the tenant id is a java.lang.String");
    }

    @Test
    void rejectsAPrimitiveParameter() throws NoSuchMethodException {
        Method method = Math.class.getMethod("abs", int.class);

        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InvokerFactory().create(method, null, List.of(new Message())))
                .withMessageContaining("java.lang.Math.abs(int), parameter 1 (int): primitive parameters");
    }

    private static HandlerInvoker invoker(String kind, Class<?> type, String name, @Nullable Object target,
                                          ArgumentSource... arguments) {
        HandlerInvoker invoker = new InvokerFactory(HandlerInvoker.HIDDEN_CLASS.equals(kind))
                .create(method(type, name), target, List.of(arguments));
        assertThat(invoker.kind()).isEqualTo(kind);
        return invoker;
    }

    static Method method(Class<?> type, String name) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(method -> method.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No method " + name + " in " + type));
    }

    // The frames from the handler down to the call in this test; below it is JUnit, which uses reflection.
    static List<StackTraceElement> framesBelowThisTest(Throwable thrown) {
        return Arrays.stream(thrown.getStackTrace())
                .takeWhile(frame -> !frame.getClassName().endsWith("Tests"))
                .toList();
    }
}
