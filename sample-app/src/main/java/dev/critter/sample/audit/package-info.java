/** The audit trail, fed by the sequential "audit" queue. */
@NullMarked
package dev.critter.sample.audit;

import org.jspecify.annotations.NullMarked;
