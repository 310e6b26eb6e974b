/** The 2× overload benchmark of a durable local queue: its message, handler and the per-message log. */
@NullMarked
package dev.critter.benchmarks.overload;

import org.jspecify.annotations.NullMarked;
