package dev.critter.benchmarks.listeners;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The start-up benchmark's application with {@link HundredListeners}: auto-configuration and a
 * component scan of this package, which finds the hundred listener components. Critter is
 * switched off when it runs.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ListenersApplication {
}
