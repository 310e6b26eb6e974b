/** The small SPI every transport implements: endpoints that accept envelopes and the callback that hands received envelopes to the pipeline. */
@NullMarked
package dev.critter.transport;

import org.jspecify.annotations.NullMarked;
