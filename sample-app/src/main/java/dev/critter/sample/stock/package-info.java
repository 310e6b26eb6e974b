/** Stock levels, changed through the partitioned "stock" queue: in order per product, products in parallel. */
@NullMarked
package dev.critter.sample.stock;

import org.jspecify.annotations.NullMarked;
