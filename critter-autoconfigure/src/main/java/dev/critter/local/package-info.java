/** Local, in-memory, bounded queues with configurable parallelism, strict order or per-key order. */
@NullMarked
package dev.critter.local;

import org.jspecify.annotations.NullMarked;
