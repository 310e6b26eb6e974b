/** Tests of local queue workers that start on demand and retire when idle. */
@NullMarked
package dev.critter.queues.ondemand;

import org.jspecify.annotations.NullMarked;
