/** The clock Critter reads and the waits it makes, so that a test clock drives both. */
@NullMarked
package dev.critter.time;

import org.jspecify.annotations.NullMarked;
