/** HTTP endpoints for operators: dead letters and what Critter built. */
@NullMarked
package dev.critter.sample.ops;

import org.jspecify.annotations.NullMarked;
