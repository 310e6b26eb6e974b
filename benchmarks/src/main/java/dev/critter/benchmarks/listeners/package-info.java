/**
 * A yardstick for the start-up benchmark: a hundred Spring {@code @EventListener} components, the
 * handlers an application would write with Spring alone.
 */
@NullMarked
package dev.critter.benchmarks.listeners;

import org.jspecify.annotations.NullMarked;
