/** The one message and no-op handler the throughput benchmarks publish to; Critter scans only this package. */
@NullMarked
package dev.critter.benchmarks.noop;

import org.jspecify.annotations.NullMarked;
