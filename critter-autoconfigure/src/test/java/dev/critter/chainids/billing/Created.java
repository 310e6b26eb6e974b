package dev.critter.chainids.billing;

/** Shares its simple name with {@link dev.critter.chainids.shipping.Created}. */
public record Created(String id) {
}
