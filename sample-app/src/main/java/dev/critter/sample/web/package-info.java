/** What the HTTP endpoints share: bounded requests and ProblemDetail answers that say what is wrong. */
@NullMarked
package dev.critter.sample.web;

import org.jspecify.annotations.NullMarked;
