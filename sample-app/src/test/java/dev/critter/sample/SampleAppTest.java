package dev.critter.sample;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole sample on a random port, without the start-up walkthrough and with a short reminder
 * delay. Every test class uses this one configuration, so they share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.walkthrough.enabled=false", "sample.reminder-delay=200ms"})
public @interface SampleAppTest {
}
