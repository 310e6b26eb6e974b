package dev.critter.discovery.basepackage;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.critter.CritterDiagnostics;
import dev.critter.autoconfigure.CritterAutoConfiguration;
import dev.critter.discovery.basepackage.app.AppConfiguration;
import dev.critter.discovery.basepackage.app.AppHandler;
import dev.critter.discovery.basepackage.app.sub.SubPackageHandler;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.type.classreading.MetadataReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler scan reads the application's classes through the context's metadata cache, which
 * its component scan filled: a class of a component-scanned package is parsed once per start,
 * not a second time for Critter (with 100 handlers in a large jar, listing it and reading the
 * classes again cost more than the rest of Critter's start-up; docs/benchmarks.md).
 */
class HandlerScanCacheTests {

    @Test
    void handlerClassesTheComponentScanReadAreFoundInTheContextsCache() {
        RecordingContext recording = new RecordingContext();
        new ApplicationContextRunner(() -> recording)
                .withConfiguration(AutoConfigurations.of(CritterAutoConfiguration.class))
                .withUserConfiguration(ScanningApp.class)
                .withPropertyValues("critter.shutdown-timeout=5s")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(CritterDiagnostics.class).handlerChains())
                            .extracting(CritterDiagnostics.HandlerChainDescription::messageType)
                            .contains(AppHandler.AppMessage.class.getName(),
                                    SubPackageHandler.SubMessage.class.getName());
                });
        // The component scan read each class once (a miss); only Critter's scan looks them up again.
        assertThat(recording.cache.hits).contains(AppHandler.class.getSimpleName() + ".class",
                SubPackageHandler.class.getSimpleName() + ".class");
    }

    /** An application whose component scan covers the handlers' package, as a {@code @SpringBootApplication}'s does. */
    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = AppConfiguration.class)
    static class ScanningApp {
    }

    /** A context whose metadata reader cache records the class files found in it. */
    static final class RecordingContext extends AnnotationConfigApplicationContext {

        final RecordingCache cache = new RecordingCache();

        @Override
        @SuppressWarnings("unchecked")
        public <T> Map<Resource, T> getResourceCache(Class<T> valueType) {
            return valueType == MetadataReader.class ? (Map<Resource, T>) cache : super.getResourceCache(valueType);
        }
    }

    static final class RecordingCache extends ConcurrentHashMap<Resource, MetadataReader> {

        final Set<String> hits = ConcurrentHashMap.newKeySet();

        @Override
        public MetadataReader get(Object key) {
            MetadataReader reader = super.get(key);
            if (reader != null && key instanceof Resource resource && resource.getFilename() != null) {
                hits.add(resource.getFilename());
            }
            return reader;
        }
    }
}
