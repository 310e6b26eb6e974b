package dev.critter.support;

import dev.critter.CritterConfigurationException;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** Critter's configuration errors behind a context that failed to start, however Spring wrapped them. */
public final class StartupFailures {

    private StartupFailures() {
    }

    /**
     * Returns the Critter configuration error behind a start-up failure; fails the test when the
     * context started, or failed for another reason.
     * @param context a context of an {@code ApplicationContextRunner}
     * @return the first {@link CritterConfigurationException} in the failure's chain of causes
     */
    public static CritterConfigurationException configurationFailure(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof CritterConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("a CritterConfigurationException behind %s", failure).isNotNull();
        return (CritterConfigurationException) cause;
    }
}
