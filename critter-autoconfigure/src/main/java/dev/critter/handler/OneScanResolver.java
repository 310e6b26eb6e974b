package dev.critter.handler;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.NoSuchFileException;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipException;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The resource resolver of a handler scan that runs once, on a thread of its own: in a jar, it
 * keeps the entries under the scanned package as it reads the jar's directory. The context's
 * resolver first copies every entry name of the jar into a sorted set, kept for later scans of the
 * same jar; an application packaged as one jar holds tens of thousands of entries, and sorting
 * them cost the scan more than reading its classes (and made the JIT compile the sorting).
 * Anything but a plain jar connection is listed as the context's resolver lists it.
 */
final class OneScanResolver extends PathMatchingResourcePatternResolver {

    OneScanResolver(ClassLoader classLoader) {
        super(classLoader);
    }

    @Override
    protected Set<Resource> doFindPathMatchingJarResources(Resource rootDirResource, URL rootDirUrl,
                                                           String subPattern) throws IOException {
        URLConnection connection = rootDirUrl.openConnection();
        if (!(connection instanceof JarURLConnection jarConnection)) {
            return super.doFindPathMatchingJarResources(rootDirResource, rootDirUrl, subPattern);
        }
        JarFile jar;
        String root;
        try {
            jar = jarConnection.getJarFile();
            JarEntry rootEntry = jarConnection.getJarEntry();
            root = rootEntry == null ? "" : rootEntry.getName();
        } catch (ZipException | FileNotFoundException | NoSuchFileException ex) {
            // Not a jar, or no such directory in it: nothing to find there, as for the context's resolver.
            return Set.of();
        }
        if (!root.isEmpty() && !root.endsWith("/")) {
            root = root + "/";
        }
        Set<Resource> found = new LinkedHashSet<>();
        try {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.startsWith(root)) {
                    String relative = name.substring(root.length());
                    if (getPathMatcher().match(subPattern, relative)) {
                        found.add(rootDirResource.createRelative(relative));
                    }
                }
            }
        } finally {
            // A cached jar belongs to the JDK's cache of jar connections, which closes it.
            if (!jarConnection.getUseCaches()) {
                jar.close();
            }
        }
        return found;
    }
}
