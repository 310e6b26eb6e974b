package dev.critter.handler;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.critter.CritterHandler;
import dev.critter.NotHandler;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds handler classes in the scanned packages: public concrete classes named {@code ...Handler}
 * or {@code ...Consumer}, and any class annotated {@link CritterHandler}; {@link NotHandler} excludes.
 */
public final class HandlerScanner {

    private final ClassLoader classLoader;
    private final @Nullable MetadataReaderFactory metadataReaders;

    /** @param classLoader the loader of the application's classes */
    public HandlerScanner(ClassLoader classLoader) {
        this(classLoader, null);
    }

    /**
     * @param classLoader the loader of the application's classes
     * @param metadataReaders the application context's shared (caching) metadata reader factory,
     *                        so classes its component scan has read already are not read again;
     *                        {@code null} for a private one
     */
    public HandlerScanner(ClassLoader classLoader, @Nullable MetadataReaderFactory metadataReaders) {
        this.classLoader = classLoader;
        this.metadataReaders = metadataReaders;
    }

    /**
     * @param basePackages the packages to scan, sub-packages included
     * @return the handler classes found, in a stable order
     */
    public List<Class<?>> scan(Collection<String> basePackages) {
        Set<Class<?>> found = new LinkedHashSet<>();
        Provider provider = new Provider();
        if (metadataReaders != null) {
            provider.setMetadataReaderFactory(metadataReaders);
        }
        for (String basePackage : basePackages) {
            for (BeanDefinition candidate : provider.findCandidateComponents(basePackage)) {
                Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader);
                if (isHandlerClass(type)) {
                    found.add(type);
                }
            }
        }
        List<Class<?>> sorted = new ArrayList<>(found);
        sorted.sort((a, b) -> a.getName().compareTo(b.getName()));
        return sorted;
    }

    /**
     * @param type any class
     * @return whether discovery rules make it a handler class
     */
    public static boolean isHandlerClass(Class<?> type) {
        if (type.isAnnotationPresent(NotHandler.class) || type.isInterface() || type.isAnnotation()
                || Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        if (type.isAnnotationPresent(CritterHandler.class)) {
            return true;
        }
        String name = type.getSimpleName();
        return Modifier.isPublic(type.getModifiers()) && (name.endsWith("Handler") || name.endsWith("Consumer"));
    }

    private static final class Provider extends ClassPathScanningCandidateComponentProvider {

        Provider() {
            super(false);
            addIncludeFilter((reader, factory) -> {
                String className = reader.getClassMetadata().getClassName();
                String simple = className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
                return simple.endsWith("Handler") || simple.endsWith("Consumer");
            });
            addIncludeFilter(new AnnotationTypeFilter(CritterHandler.class, false));
        }

        @Override
        protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            // Static nested classes count (handlers are often nested in tests and samples); the
            // concrete/public rules are applied on the loaded class by isHandlerClass.
            return definition.getMetadata().isIndependent();
        }
    }
}
