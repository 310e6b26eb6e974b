package dev.critter.autoconfigure;

import dev.critter.CritterConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns Critter's configuration errors into Spring Boot's start-up failure report: what is wrong, what to do. */
class CritterConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<CritterConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CritterConfigurationException cause) {
        return new FailureAnalysis("Critter cannot start: " + cause.getMessage(), cause.fix(), cause);
    }
}
