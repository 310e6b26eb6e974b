/** The message and no-op handler of {@code DurableQueueThroughput}, on a durable local queue. */
@NullMarked
package dev.critter.benchmarks.durable;

import org.jspecify.annotations.NullMarked;
