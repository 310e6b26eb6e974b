/** Orders: a cascade to several consumers, a payment handler that can end in the dead letters, and quotes by request/reply. */
@NullMarked
package dev.critter.sample.orders;

import org.jspecify.annotations.NullMarked;
