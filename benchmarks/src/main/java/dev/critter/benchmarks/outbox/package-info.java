/** The transactional outbox benchmark: Critter's outbox beside a plain JDBC outbox doing the same job on PostgreSQL. */
@NullMarked
package dev.critter.benchmarks.outbox;

import org.jspecify.annotations.NullMarked;
