/** The no-op handlers the bus invoke benchmark calls inline; Critter scans only this package there. */
@NullMarked
package dev.critter.benchmarks.invoke;

import org.jspecify.annotations.NullMarked;
