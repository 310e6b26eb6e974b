/** Error policies: choosing retry, cooldown, requeue, dead letter or discard for a failure. */
@NullMarked
package dev.critter.error;

import org.jspecify.annotations.NullMarked;
