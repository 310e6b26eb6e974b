/** Which destinations each message type goes to. */
@NullMarked
package dev.critter.routing;

import org.jspecify.annotations.NullMarked;
