/** Critter's public API: the types application code writes against. */
@NullMarked
package dev.critter;

import org.jspecify.annotations.NullMarked;
