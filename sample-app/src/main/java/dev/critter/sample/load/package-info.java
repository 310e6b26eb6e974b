/** The load mode: push many messages through a local queue, report throughput and latency. */
@NullMarked
package dev.critter.sample.load;

import org.jspecify.annotations.NullMarked;
