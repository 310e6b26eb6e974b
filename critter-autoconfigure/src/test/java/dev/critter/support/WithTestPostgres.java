package dev.critter.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactories;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives a Spring test class ({@code @SpringBootTest}) a database of its own on the shared test
 * server ({@link TestPostgres#newDatabase}), created when its application context starts, with
 * {@code spring.datasource.url}, {@code username} and {@code password} pointing at it: what a
 * {@code @DynamicPropertySource} method registering {@code TestPostgres.newDatabase(MyTests.class)}
 * does, without repeating the method in every class.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ContextCustomizerFactories(WithTestPostgres.Factory.class)
public @interface WithTestPostgres {

    /** Creates the database of a class annotated {@link WithTestPostgres}. */
    final class Factory implements ContextCustomizerFactory {

        @Override
        public ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                         List<ContextConfigurationAttributes> configAttributes) {
            return new OwnDatabase(testClass);
        }
    }

    /**
     * A new database for each context of the test class; equal for the same class, so the
     * context cache treats the class's contexts as it treats any others.
     * @param testClass the test class, which names the database
     */
    record OwnDatabase(Class<?> testClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration configuration) {
            TestDatabase database = TestPostgres.newDatabase(testClass);
            // Ahead of the test's own properties, as @DynamicPropertySource's are.
            TestPropertyValues.of(database.springProperties())
                    .applyTo(context.getEnvironment(), TestPropertyValues.Type.MAP, "critter-test-database");
        }
    }
}
