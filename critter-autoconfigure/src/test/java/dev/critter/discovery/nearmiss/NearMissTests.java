package dev.critter.discovery.nearmiss;

import dev.critter.IMessageBus;
import dev.critter.NoHandlerException;
import dev.critter.discovery.nearmiss.NearMissHandlers.Fine;
import dev.critter.discovery.nearmiss.NearMissHandlers.Forgotten;
import dev.critter.discovery.nearmiss.NearMissHandlers.Hidden;
import dev.critter.discovery.nearmiss.NearMissHandlers.Silenced;
import dev.critter.support.CritterContexts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A method that looks like a handler method but that Critter does not call is named at start-up
 * (WARN, with the fix) and in the {@link NoHandlerException} of its message type.
 */
@ExtendWith(OutputCaptureExtension.class)
class NearMissTests {

    @Test
    void aNonPublicHandleMethodIsNamedAtStartUpWithTheFix(CapturedOutput output) {
        CritterContexts.scanning(NearMissTests.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("WARN").contains(
                    "ForgottenHandler.handle(Forgotten) is not public, so Critter does not call it; "
                            + "make it public, or mark it @NotHandler");
        });
    }

    @Test
    void aHandleMethodWithoutParameterIsNamedAtStartUpWithTheFix(CapturedOutput output) {
        CritterContexts.scanning(NearMissTests.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("ParameterlessConsumer.consume() has no parameter, so Critter does not call it",
                    "add the message as first parameter, or mark the method @NotHandler");
        });
    }

    @Test
    void aHandlerClassThatIsNotPublicIsNamedAtStartUpWithTheFix(CapturedOutput output) {
        CritterContexts.scanning(NearMissTests.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("HiddenHandler.handle(Hidden) is in a class that is not public",
                    "make HiddenHandler public or annotate it @CritterHandler");
        });
    }

    @Test
    void aMethodMarkedNotHandlerIsNoNearMiss(CapturedOutput output) {
        CritterContexts.scanning(NearMissTests.class).run(context -> {
            context.getBean(IMessageBus.class).invoke(new Fine("1"));
            assertThat(output).doesNotContain("FineHandler.handle(Silenced)");
            assertThatThrownBy(() -> context.getBean(IMessageBus.class).invoke(new Silenced("1")))
                    .isInstanceOf(NoHandlerException.class)
                    .message().doesNotContain("FineHandler");
        });
    }

    @Test
    void noHandlerExceptionNamesTheNearMissOfItsMessageType() {
        CritterContexts.scanning(NearMissTests.class).run(context -> {
            IMessageBus bus = context.getBean(IMessageBus.class);
            assertThatThrownBy(() -> bus.invoke(new Forgotten("1")))
                    .isInstanceOf(NoHandlerException.class)
                    .message()
                    .contains("ForgottenHandler.handle(Forgotten) is not public", "ParameterlessConsumer.consume()")
                    .doesNotContain("HiddenHandler");
            assertThatThrownBy(() -> bus.invokeAsync(new Hidden("1")).join())
                    .hasCauseInstanceOf(NoHandlerException.class)
                    .cause().message().contains("HiddenHandler.handle(Hidden) is in a class that is not public")
                    .doesNotContain("ForgottenHandler");
        });
    }
}
