/**
 * Durability: what every durable store shares (this node, settings, message bodies, background
 * work). The PostgreSQL stores live in {@code durability.jdbc}.
 */
@NullMarked
package dev.critter.durability;

import org.jspecify.annotations.NullMarked;
