/** Test support: track every message an action caused and wait until all of them finished. */
@NullMarked
package dev.critter.testing;

import org.jspecify.annotations.NullMarked;
