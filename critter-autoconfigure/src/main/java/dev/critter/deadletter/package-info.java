/** Dead-letter stores. */
@NullMarked
package dev.critter.deadletter;

import org.jspecify.annotations.NullMarked;
