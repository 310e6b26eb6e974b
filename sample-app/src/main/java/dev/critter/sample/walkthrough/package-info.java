/** The start-up walkthrough: every flow once, told in plain words. */
@NullMarked
package dev.critter.sample.walkthrough;

import org.jspecify.annotations.NullMarked;
