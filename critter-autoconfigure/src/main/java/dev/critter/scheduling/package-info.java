/** Delivery of delayed and scheduled messages. */
@NullMarked
package dev.critter.scheduling;

import org.jspecify.annotations.NullMarked;
