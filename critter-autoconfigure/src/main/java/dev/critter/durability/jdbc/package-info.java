/** Critter's tables on PostgreSQL: the schema name, the versioned migration scripts and how they are applied. */
@NullMarked
package dev.critter.durability.jdbc;

import org.jspecify.annotations.NullMarked;
