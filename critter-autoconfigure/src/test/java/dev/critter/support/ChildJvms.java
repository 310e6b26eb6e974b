package dev.critter.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Child JVMs of a crash test: a main class of the test classpath run in a process of its own,
 * which the test kills with SIGKILL ({@link Process#destroyForcibly()}) to leave what a crashed
 * node leaves. {@link #close()} kills those still running; call it after each test.
 */
public final class ChildJvms implements AutoCloseable {

    private final List<Process> started = new CopyOnWriteArrayList<>();

    /**
     * Starts a main class in a new JVM on this JVM's classpath, with at most 256 MB of heap (two
     * JVMs share the test machine's memory), its output (and errors) written to a log file.
     * @param log the file that receives the child's output; read it when the child misbehaves
     * @param mainClass the class whose {@code main} runs
     * @param arguments the arguments of {@code main}
     * @return the running child
     * @throws IOException when the JVM cannot start
     */
    public Process start(Path log, Class<?> mainClass, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    /** Kills every child still running. */
    @Override
    public void close() {
        started.forEach(Process::destroyForcibly);
    }
}
