/** Message bodies as JSON for durable stores and the wire, read back only through the registry of known message types. */
@NullMarked
package dev.critter.serialization;

import org.jspecify.annotations.NullMarked;
