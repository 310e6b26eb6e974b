/** JMH benchmarks and end-to-end throughput runs that compare Critter with raw baselines in the same run. */
@NullMarked
package dev.critter.benchmarks;

import org.jspecify.annotations.NullMarked;
