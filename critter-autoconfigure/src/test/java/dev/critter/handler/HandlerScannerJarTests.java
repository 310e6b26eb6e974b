package dev.critter.handler;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler scan in a jar, as an application packaged as one jar runs it: handler classes
 * compiled here into a jar of their own, which only a class loader of this test sees, scanned
 * through a resource loader of the scan's own, as the background scan does.
 */
class HandlerScannerJarTests {

    @TempDir
    Path temp;

    @Test
    void theScanFindsHandlerClassesAndNearMissesInAJarUnderTheScannedPackageOnly() throws Exception {
        Path jar = compileIntoJar(
                "jarred/billing/InvoiceHandler.java", """
                        package jarred.billing;
                        public class InvoiceHandler {
                            public void handle(jarred.billing.Invoice invoice) { }
                            void handle(jarred.billing.Refund refund) { }
                        }""",
                "jarred/billing/Invoice.java", "package jarred.billing; public record Invoice(String id) { }",
                "jarred/billing/Refund.java", "package jarred.billing; public record Refund(String id) { }",
                "jarred/billing/deep/ReminderConsumer.java", """
                        package jarred.billing.deep;
                        public class ReminderConsumer {
                            public void consume(jarred.billing.Invoice invoice) { }
                        }""",
                // A sibling package whose name starts like the scanned one: not in the scan.
                "jarred/billingextra/OtherHandler.java", """
                        package jarred.billingextra;
                        public class OtherHandler {
                            public void handle(jarred.billing.Invoice invoice) { }
                        }""");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            HandlerScanner scanner = new HandlerScanner(loader, new DefaultResourceLoader(loader));

            List<Class<?>> found = scanner.find(List.of("jarred.billing"));

            assertThat(found).extracting(Class::getName)
                    .containsExactly("jarred.billing.InvoiceHandler", "jarred.billing.deep.ReminderConsumer");
            assertThat(scanner.nearMisses()).extracting(NearMiss::describe).singleElement().asString()
                    .contains("InvoiceHandler").contains("not public");
            assertThat(scanner.find(List.of("jarred.nowhere"))).isEmpty();
        }
    }

    @Test
    void aPackageWithoutItsDirectoryEntryInTheJarIsFound() throws Exception {
        // Some jar tools write no entry for some directories: here jarred/ and jarred/a/ have one,
        // jarred/b/ has none. Scanned after jarred.a, jarred.b is listed from the common root jarred/.
        skippedDirectories = List.of("jarred/b");
        Path jar = compileIntoJar(
                "jarred/a/AHandler.java", "package jarred.a; public class AHandler { public void handle(jarred.a.A a) { } }",
                "jarred/a/A.java", "package jarred.a; public record A(String id) { }",
                "jarred/b/BHandler.java", "package jarred.b; public class BHandler { public void handle(jarred.b.B b) { } }",
                "jarred/b/B.java", "package jarred.b; public record B(String id) { }");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            HandlerScanner scanner = new HandlerScanner(loader, new DefaultResourceLoader(loader));

            List<Class<?>> found = scanner.find(List.of("jarred.a", "jarred.b"));

            assertThat(found).extracting(Class::getName).containsExactly("jarred.a.AHandler", "jarred.b.BHandler");
        }
    }

    @Test
    void aPackageInAJarWithoutItsParentsDirectoryEntryIsFoundAfterTheContextsComponentScanListedASibling()
            throws Exception {
        // The component scan lists jarred.a (in a.jar) through the context's resolver, which caches
        // the root jarred/a/. b.jar has jarred/b/ but no entry for jarred/: the handler scan of
        // jarred.b, through the same resolver, must still list b.jar, as a resolver of its own does.
        Path a = compileNamedJar("a",
                "jarred/a/AHandler.java", "package jarred.a; public class AHandler { public void handle(jarred.a.A a) { } }",
                "jarred/a/A.java", "package jarred.a; public record A(String id) { }");
        skippedDirectories = List.of("jarred");
        Path b = compileNamedJar("b",
                "jarred/b/BHandler.java", "package jarred.b; public class BHandler { public void handle(jarred.b.B b) { } }",
                "jarred/b/B.java", "package jarred.b; public record B(String id) { }");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {a.toUri().toURL(), b.toUri().toURL()},
                getClass().getClassLoader()); GenericApplicationContext context = new GenericApplicationContext()) {
            context.setClassLoader(loader);
            assertThat(new HandlerScanner(loader, new DefaultResourceLoader(loader)).find(List.of("jarred.b")))
                    .extracting(Class::getName).containsExactly("jarred.b.BHandler");
            // What a @ComponentScan of jarred.a lists while the context refreshes.
            assertThat(context.getResources("classpath*:jarred/a/**/*.class")).isNotEmpty();

            List<Class<?>> found = new HandlerScanner(loader, context).find(List.of("jarred.b"));

            assertThat(found).extracting(Class::getName).containsExactly("jarred.b.BHandler");
        }
    }

    private List<String> skippedDirectories = List.of();

    /** Compiles the sources (path, text, path, text, ...) and packs the classes into a jar. */
    private Path compileIntoJar(String... pathsAndSources) throws IOException {
        return compileNamedJar("handlers", pathsAndSources);
    }

    private Path compileNamedJar(String jarName, String... pathsAndSources) throws IOException {
        Path sources = Files.createDirectories(temp.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(temp.resolve(jarName + "-classes"));
        String[] arguments = new String[pathsAndSources.length / 2 + 2];
        arguments[0] = "-d";
        arguments[1] = classes.toString();
        for (int i = 0; i < pathsAndSources.length; i += 2) {
            Path file = sources.resolve(pathsAndSources[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, pathsAndSources[i + 1], StandardCharsets.UTF_8);
            arguments[i / 2 + 2] = file.toString();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, arguments)).as("javac exit code").isZero();
        Path jar = temp.resolve(jarName + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                if (name.isEmpty()) {
                    continue;
                }
                boolean directory = Files.isDirectory(file);
                if (directory && skippedDirectories.contains(name)) {
                    continue;
                }
                jarOut.putNextEntry(new JarEntry(directory ? name + "/" : name));
                if (!directory) {
                    jarOut.write(Files.readAllBytes(file));
                }
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
