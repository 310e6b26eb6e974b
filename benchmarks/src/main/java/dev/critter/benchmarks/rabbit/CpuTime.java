package dev.critter.benchmarks.rabbit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time of this JVM and of the local RabbitMQ node (the Erlang VM, {@code beam.smp}, found in
 * {@code /proc}), so a run shows where each subject's CPU went on a machine where client and
 * broker share the cores. Wall-clock rates count the time other processes held the cores; these do not.
 */
final class CpuTime {

    private static final long BROKER_PID = findBroker();
    private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ is 100 on Linux

    private CpuTime() {
    }

    /** This process's CPU time in nanoseconds. */
    static long java() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The broker's CPU time in nanoseconds (user + system), or -1 when it is not a local process. */
    static long broker() {
        if (BROKER_PID < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(BROKER_PID), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name.
            return (long) ((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK);
        } catch (IOException | RuntimeException ex) {
            return -1;
        }
    }

    private static long findBroker() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().startsWith("beam");
                        } catch (IOException ex) {
                            return false;
                        }
                    }).mapToLong(p -> Long.parseLong(p.getFileName().toString())).findFirst().orElse(-1);
        } catch (IOException ex) {
            return -1;
        }
    }
}
