package dev.critter.discovery.failures.tenantid;

import dev.critter.TenantId;

/** Declares the tenant id as a number, but tenant ids are strings. */
public class TenantIdHandler {

    public record Ping(String id) { }

    public void handle(Ping ping, @TenantId Integer tenant) {
    }
}
