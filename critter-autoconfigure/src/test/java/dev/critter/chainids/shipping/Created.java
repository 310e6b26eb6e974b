package dev.critter.chainids.shipping;

/** Shares its simple name with {@link dev.critter.chainids.billing.Created}. */
public record Created(String id) {
}
