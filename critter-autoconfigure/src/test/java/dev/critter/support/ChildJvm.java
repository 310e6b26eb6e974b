package dev.critter.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test applications in child JVMs, for crash tests that kill them with SIGKILL
 * ({@link Process#destroyForcibly()}: no shutdown hook, no clean release of anything). Each child
 * runs a main class on the test's own class path, its output in {@code target/<name>-<nanos>.log};
 * {@link #close()} kills the children still alive.
 */
public final class ChildJvm implements AutoCloseable {

    private final List<Process> children = new ArrayList<>();

    /**
     * Starts a child JVM.
     * @param logName the start of its log file's name under {@code target/}
     * @param main the class whose {@code main} runs
     * @param arguments its arguments
     * @return the running process
     */
    public Process start(String logName, Class<?> main, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(arguments));
        File log = new File("target/" + logName + "-" + System.nanoTime() + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            children.add(process);
            return process;
        } catch (IOException ex) {
            throw new IllegalStateException("Could not start " + main.getName() + " in a child JVM", ex);
        }
    }

    /** Kills every child still alive (SIGKILL). */
    @Override
    public void close() {
        children.forEach(Process::destroyForcibly);
    }
}
