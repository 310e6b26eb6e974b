/** Handler discovery, parameter resolution and handler chains. */
@NullMarked
package dev.critter.handler;

import org.jspecify.annotations.NullMarked;
