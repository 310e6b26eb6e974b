/** Spring Boot auto-configuration and configuration properties for Critter's durability on PostgreSQL. */
@NullMarked
package dev.critter.autoconfigure.durability;

import org.jspecify.annotations.NullMarked;
