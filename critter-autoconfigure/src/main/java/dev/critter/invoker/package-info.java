/** Generated handler invokers and their readable, source-like text. */
@NullMarked
package dev.critter.invoker;

import org.jspecify.annotations.NullMarked;
