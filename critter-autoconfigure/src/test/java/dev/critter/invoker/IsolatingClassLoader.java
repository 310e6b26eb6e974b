package dev.critter.invoker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Loads the named classes itself, from the parent's class files, and delegates every other class
 * to the parent: the named classes end up in another class loader, and so another unnamed module,
 * than Critter, as with Spring Boot DevTools' restart class loader.
 */
final class IsolatingClassLoader extends ClassLoader {

    private final Set<String> isolated;

    IsolatingClassLoader(ClassLoader parent, String... isolated) {
        super("isolating", parent);
        this.isolated = Set.of(isolated);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!isolated.contains(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                byte[] bytes = classFile(name);
                loaded = defineClass(name, bytes, 0, bytes.length);
            }
            return loaded;
        }
    }

    private byte[] classFile(String name) throws ClassNotFoundException {
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
