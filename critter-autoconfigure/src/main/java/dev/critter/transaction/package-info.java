/**
 * Transactional handlers: which handlers run in a transaction and on which transaction manager,
 * decided once at start-up, and how one handler attempt begins, commits and rolls back it.
 */
@NullMarked
package dev.critter.transaction;

import org.jspecify.annotations.NullMarked;
