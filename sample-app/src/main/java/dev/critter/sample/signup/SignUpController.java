package dev.critter.sample.signup;

import dev.critter.DeliveryOptions;
import dev.critter.IMessageBus;
import dev.critter.sample.web.BadRequest;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /signups {"email": "ann@example.com"}}, optionally with header {@code X-Tenant: acme}:
 * publishes a {@link SignUpRequest} and answers 202 at once; the handlers run on Critter's workers.
 */
@RestController
class SignUpController {

    private final IMessageBus bus;

    SignUpController(IMessageBus bus) {
        this.bus = bus;
    }

    record Accepted(String email, @Nullable String tenant) {
    }

    @PostMapping("/signups")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Accepted signUp(@RequestBody SignUpRequest request, @RequestHeader(name = "X-Tenant", required = false) @Nullable String tenant) {
        if (request.email() == null || !request.email().matches("[^@\\s]+@[^@\\s]+")) {
            throw BadRequest.because("email must be an e-mail address like ann@example.com");
        }
        if (request.email().length() > 254) {
            throw BadRequest.because("email must be at most 254 characters, was " + request.email().length());
        }
        if (tenant != null && !tenant.matches("[A-Za-z0-9-]{1,40}")) {
            throw BadRequest.because("X-Tenant must be 1 to 40 letters, digits or dashes");
        }
        // The tenant rides on the envelope: every message the handlers cascade inherits it.
        bus.publish(request, tenant == null ? DeliveryOptions.none() : DeliveryOptions.builder().tenantId(tenant).build());
        return new Accepted(request.email(), tenant);
    }
}
