/** Metric names and Micrometer instrumentation. */
@NullMarked
package dev.critter.observability;

import org.jspecify.annotations.NullMarked;
