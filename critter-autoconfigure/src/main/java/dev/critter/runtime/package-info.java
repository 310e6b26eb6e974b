/** The message bus, message contexts, the handling pipeline and Critter's lifecycle. */
@NullMarked
package dev.critter.runtime;

import org.jspecify.annotations.NullMarked;
