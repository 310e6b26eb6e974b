package dev.critter.sample.walkthrough;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Once the application is up: runs the walkthrough (unless {@code sample.walkthrough.enabled=false}),
 * then shows how to try the HTTP endpoints.
 */
@Component
@ConditionalOnWebApplication
class WalkthroughRunner implements ApplicationRunner {

    private static final Log logger = LogFactory.getLog(WalkthroughRunner.class);

    private final Walkthrough walkthrough;
    private final Environment environment;

    WalkthroughRunner(Walkthrough walkthrough, Environment environment) {
        this.walkthrough = walkthrough;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (environment.getProperty("sample.walkthrough.enabled", Boolean.class, true)) {
            walkthrough.run(System.out);
        }
        String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
        logger.info(String.join(System.lineSeparator(),
                "Serving HTTP on " + base + " (Ctrl+C to stop). Try:",
                "  curl -i -X POST " + base + "/signups -H 'Content-Type: application/json' -d '{\"email\":\"zoe@example.com\"}'",
                "  curl -i -X POST " + base + "/signups -H 'Content-Type: application/json' -H 'X-Tenant: acme' -d '{\"email\":\"max@acme.test\"}'",
                // No card number is printed whole, not even a test card: <card> is for the user to fill in.
                "  curl -i -X POST " + base + "/orders -H 'Content-Type: application/json' -d '{\"sku\":\"kettle\",\"quantity\":2,\"card\":\"<card>\"}'",
                "    (<card>: 12 to 19 digits, e.g. the 16-digit test card 4242...4242; one ending in 0000 is declined)",
                "  curl -s " + base + "/quotes/teapot?quantity=12",
                "  curl -i -X POST " + base + "/stock/kettle/5",
                "  curl -s " + base + "/stock",
                "  curl -s " + base + "/actuator/critterdeadletters",
                "  curl -i -X POST " + base + "/actuator/critterdeadletters/<id>",
                "  curl -s " + base + "/actuator/critter",
                "  curl -s " + base + "/actuator/health/critter",
                "  curl -s " + base + "/actuator/metrics/critter.messages.handled"));
    }
}
