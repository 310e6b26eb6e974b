package dev.critter.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.lang.reflect.Method;
import java.util.List;

import dev.critter.MessageContext;
import dev.critter.invoker.ArgumentSource.Context;
import dev.critter.invoker.ArgumentSource.Message;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InvokerFallbackTests {

    private final MessageContext context = TestMessageContext.of("hello");

    private Class<?> isolatedType;

    private Object isolatedHandler;

    @BeforeEach
    void loadHandlerInAnotherClassLoader() throws ReflectiveOperationException {
        ClassLoader loader = new IsolatingClassLoader(getClass().getClassLoader(), IsolatedHandler.class.getName());
        isolatedType = loader.loadClass(IsolatedHandler.class.getName());
        isolatedHandler = isolatedType.getConstructor().newInstance();
    }

    @Test
    void theHandlerReallyLivesInAnotherClassLoaderAndModule() {
        assertThat(isolatedType).isNotSameAs(IsolatedHandler.class);
        assertThat(isolatedType.getModule()).isNotEqualTo(InvokerFactory.class.getModule());
    }

    @Test
    void fallsBackToAMethodHandleChainForAHandlerInAnotherClassLoader() throws Throwable {
        HandlerInvoker invoker = new InvokerFactory().create(handleMethod(), isolatedHandler,
                List.of(new Message(), new Context()));

        assertThat(invoker.kind()).isEqualTo(HandlerInvoker.METHOD_HANDLE);
        assertThat(invoker.invocation()).isInstanceOf(MethodHandleInvocation.class);
        assertThat(invoker.invoke("hello", context)).isEqualTo("hello from IsolatingClassLoader");
        assertThat(invoker.sourceText()).contains("[method-handle]");
    }

    @Test
    void theFallbackLeavesNoReflectionFrameBetweenCallerAndHandler() {
        HandlerInvoker invoker = new InvokerFactory().create(handleMethod(), isolatedHandler,
                List.of(new Message(), new Context()));

        Throwable thrown = catchThrowable(() -> invoker.invoke("fail", context));

        assertThat(thrown).isExactlyInstanceOf(IllegalStateException.class).hasMessage("isolated handler failed");
        List<StackTraceElement> frames = InvokerFactoryTests.framesBelowThisTest(thrown);
        assertThat(frames.get(0).getClassName()).isEqualTo(IsolatedHandler.class.getName());
        assertThat(frames).extracting(StackTraceElement::toString)
                .noneMatch(frame -> frame.contains("java.lang.reflect.Method.invoke"))
                .noneMatch(frame -> frame.contains("jdk.internal.reflect"));
    }

    private Method handleMethod() {
        return InvokerFactoryTests.method(isolatedType, "handle");
    }
}
