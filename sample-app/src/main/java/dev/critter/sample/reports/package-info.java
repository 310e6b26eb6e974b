/** Reports: a slow consumer behind a small queue, which shows back-pressure on the publisher. */
@NullMarked
package dev.critter.sample.reports;

import org.jspecify.annotations.NullMarked;
