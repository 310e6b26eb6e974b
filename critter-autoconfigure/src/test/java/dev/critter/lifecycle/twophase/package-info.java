/** Tests of the two-phase shutdown of Critter's local queues and scheduler. */
@NullMarked
package dev.critter.lifecycle.twophase;

import org.jspecify.annotations.NullMarked;
