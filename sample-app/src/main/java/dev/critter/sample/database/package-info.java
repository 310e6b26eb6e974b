/** Where the sample's PostgreSQL comes from: embedded by default, yours with the external-postgres profile. */
@NullMarked
package dev.critter.sample.database;

import org.jspecify.annotations.NullMarked;
