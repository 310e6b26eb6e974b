package dev.critter.handler;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.critter.CritterHandler;
import dev.critter.NotHandler;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Finds handler classes in the scanned packages: public concrete classes named {@code ...Handler}
 * or {@code ...Consumer}, and any class annotated {@link CritterHandler}; {@link NotHandler} excludes.
 * Methods that look like handler methods but are not called (not public, in a class that is not
 * public, or without the message parameter) are logged at WARN as {@link NearMiss near misses}.
 */
public final class HandlerScanner {

    private static final Log logger = LogFactory.getLog(HandlerScanner.class);

    private final ClassLoader classLoader;
    private final @Nullable ResourceLoader resourceLoader;
    private final List<NearMiss> nearMisses = new ArrayList<>();

    /**
     * Creates the scanner.
     * @param classLoader the loader of the application's classes
     */
    public HandlerScanner(ClassLoader classLoader) {
        this(classLoader, null);
    }

    /**
     * Creates a scanner that shares the context's caches.
     * @param classLoader the loader of the application's classes
     * @param resourceLoader the application context, whose resource pattern resolver keeps the jar
     *                       listings, and whose metadata cache the classes, its component scan read
     *                       until the context has refreshed: the handler scan then neither lists a
     *                       jar nor reads a class again (it lists a package anew only when the
     *                       context's resolver found no class in one of its roots); {@code null}
     *                       for a private resolver and cache
     */
    public HandlerScanner(ClassLoader classLoader, @Nullable ResourceLoader resourceLoader) {
        this.classLoader = classLoader;
        this.resourceLoader = resourceLoader;
    }

    /**
     * Finds the handler classes of some packages, and the near misses, without logging them: they
     * are named ({@link #warnAbout}) by whoever uses the result.
     * @param basePackages the packages to scan, sub-packages included
     * @return the handler classes found, in a stable order
     */
    public List<Class<?>> find(Collection<String> basePackages) {
        Set<Class<?>> found = new LinkedHashSet<>();
        Set<Class<?>> candidates = new TreeSet<>(Comparator.comparing(Class::getName));
        Provider provider = new Provider();
        ListedClasses listed = null;
        if (resourceLoader != null) {
            provider.setResourceLoader(resourceLoader);
            // The classes are read through the context's metadata cache, the one its component
            // scan filled; the provider reads every class it lists, which tells what it listed.
            listed = new ListedClasses(new CachingMetadataReaderFactory(resourceLoader));
            provider.setMetadataReaderFactory(listed);
        }
        for (String basePackage : basePackages) {
            if (listed != null) {
                listed.urls.clear();
            }
            Set<BeanDefinition> scanned = provider.findCandidateComponents(basePackage);
            if (listed != null && !listsEveryRoot(basePackage, listed.urls)) {
                // The context's resolver may list a package from a root directory it cached for
                // another package (a parent or sibling), and so miss a jar that has the package's
                // directory but not its parent's; a resolver of the scan's own lists it anew.
                Provider own = new Provider();
                own.setResourceLoader(new PathMatchingResourcePatternResolver(resourceLoader));
                own.setMetadataReaderFactory(listed);
                scanned = own.findCandidateComponents(basePackage);
            }
            for (BeanDefinition candidate : scanned) {
                Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader);
                candidates.add(type);
                if (isHandlerClass(type)) {
                    found.add(type);
                }
            }
        }
        List<Class<?>> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparing(Class::getName));
        nearMisses.clear();
        for (Class<?> type : candidates) {
            nearMisses.addAll(nearMissesOf(type, found.contains(type)));
        }
        return sorted;
    }

    /**
     * Whether a class was listed from every root the class loader has for the package (every
     * directory and jar holding the package's directory). A root with no class of the package at
     * all also answers no, which only costs a second listing.
     */
    private boolean listsEveryRoot(String basePackage, List<String> listedUrls) {
        try {
            Enumeration<URL> roots = classLoader.getResources(ClassUtils.convertClassNameToResourcePath(basePackage) + "/");
            while (roots.hasMoreElements()) {
                String root = roots.nextElement().toString();
                if (listedUrls.stream().noneMatch(url -> url.startsWith(root))) {
                    return false;
                }
            }
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    /** Reads classes through a delegate, keeping the address of each class read. */
    private static final class ListedClasses implements MetadataReaderFactory {

        private final MetadataReaderFactory delegate;
        final List<String> urls = new ArrayList<>();

        ListedClasses(MetadataReaderFactory delegate) {
            this.delegate = delegate;
        }

        @Override
        public MetadataReader getMetadataReader(String className) throws IOException {
            return delegate.getMetadataReader(className);
        }

        @Override
        public MetadataReader getMetadataReader(Resource resource) throws IOException {
            urls.add(resource.getURL().toString());
            return delegate.getMetadataReader(resource);
        }

        @Override
        public ResourceLoader getResourceLoader() {
            return delegate.getResourceLoader();
        }
    }

    /**
     * Logs near misses at WARN, each with its fix.
     * @param misses near misses found by {@link #find}
     */
    public static void warnAbout(List<NearMiss> misses) {
        misses.forEach(miss -> logger.warn(miss.describe()));
    }

    /**
     * Returns the near misses found by the last {@link #find}.
     * @return the near misses, in a stable order
     */
    public List<NearMiss> nearMisses() {
        return List.copyOf(nearMisses);
    }

    private static List<NearMiss> nearMissesOf(Class<?> type, boolean handlerClass) {
        List<NearMiss> misses = new ArrayList<>();
        if (handlerClass) {
            for (Method method : HandlerMethods.nearMisses(type)) {
                @Nullable Class<?> messageType = method.getParameterCount() == 0 ? null : method.getParameterTypes()[0];
                misses.add(messageType == null
                        ? new NearMiss(HandlerMethods.shortName(type, method), null,
                                "has no parameter, so Critter does not call it (the first parameter is the message)",
                                "add the message as first parameter, or mark the method @NotHandler")
                        : new NearMiss(HandlerMethods.shortName(type, method), messageType,
                                "is not public, so Critter does not call it",
                                "make it public, or mark it @NotHandler"));
            }
        } else if (looksLikeHandlerClass(type)) {
            for (Method method : HandlerMethods.declaredLikeHandlerMethods(type)) {
                misses.add(new NearMiss(HandlerMethods.shortName(type, method), method.getParameterTypes()[0],
                        "is in a class that is not public, so Critter does not call it",
                        "make " + type.getSimpleName() + " public or annotate it @CritterHandler,"
                                + " or mark it @NotHandler"));
            }
        }
        return misses;
    }

    /** Named like a handler class and not excluded, but not public (so not a handler class). */
    private static boolean looksLikeHandlerClass(Class<?> type) {
        return !type.isAnnotationPresent(NotHandler.class) && !type.isInterface() && !type.isAnnotation()
                && !type.isEnum() && !type.isRecord() && !Modifier.isAbstract(type.getModifiers())
                && !Modifier.isPublic(type.getModifiers());
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
