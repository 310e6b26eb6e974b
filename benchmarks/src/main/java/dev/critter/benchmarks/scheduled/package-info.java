/** Durable scheduled messages on the PostgreSQL server: due-at-once throughput and lateness. */
package dev.critter.benchmarks.scheduled;
