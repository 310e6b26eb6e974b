/** Critter's sample application: a small sign-up and order service, its messaging configuration and shared pretend services. */
@NullMarked
package dev.critter.sample;

import org.jspecify.annotations.NullMarked;
