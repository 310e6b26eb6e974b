/** Sign-ups: a handler, cascaded and delayed e-mails, and the tenant carried along. */
@NullMarked
package dev.critter.sample.signup;

import org.jspecify.annotations.NullMarked;
