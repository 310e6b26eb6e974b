package dev.critter.sample.signup;

import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.TenantId;
import dev.critter.sample.Console;

import org.jspecify.annotations.Nullable;

/**
 * Creates accounts. A convention handler: found by its name, created by Critter (it is not a
 * bean), and its return value is published: {@code UserSignedUp} cascades to every handler of
 * that type.
 */
public class SignUpHandler {

    private final AtomicInteger users = new AtomicInteger();

    public UserSignedUp handle(SignUpRequest request, @TenantId @Nullable String tenant) {
        if (request.email() == null || !request.email().contains("@")) {
            throw new IllegalArgumentException("Not an e-mail address: " + request.email());
        }
        String userId = "u-" + users.incrementAndGet();
        Console.handled("SignUpHandler", "created " + userId + " for " + request.email() + Console.tenant(tenant));
        return new UserSignedUp(userId, request.email());
    }
}
