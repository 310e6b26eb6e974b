/** Spring Boot auto-configuration and configuration properties for Critter. */
@NullMarked
package dev.critter.autoconfigure;

import org.jspecify.annotations.NullMarked;
