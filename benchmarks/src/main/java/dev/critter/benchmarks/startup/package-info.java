/** The start-up benchmark: a generated application with 100 handlers, started with and without Critter. */
@NullMarked
package dev.critter.benchmarks.startup;

import org.jspecify.annotations.NullMarked;
