package dev.critter.sample.load;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code --load[=N]} (or {@code sample.load=N}) into the load mode before the context is
 * created: no web server, no walkthrough, quiet logs, and {@code sample.load=N} for
 * {@link LoadModeRunner}. N defaults to 1,000,000 and may be written {@code 1_000_000}.
 */
public class LoadMode implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** How many messages {@code --load} without a number pushes. */
    public static final int DEFAULT_MESSAGES = 1_000_000;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        apply(event.getEnvironment());
    }

    /** After the configuration files are read, before logging is set up. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 15;
    }

    /** @param environment the environment to switch to load mode when it asks for it */
    static void apply(ConfigurableEnvironment environment) {
        String requested = environment.getProperty("sample.load", environment.getProperty("load"));
        if (requested == null) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("sampleLoadMode", Map.of(
                "sample.load", messages(requested),
                "sample.walkthrough.enabled", false,
                "spring.main.web-application-type", "none",
                "spring.main.banner-mode", "off",
                "logging.level.root", "warn")));
    }

    /**
     * Checks a {@code --load=N} (or {@code --sample.load=N}) command-line argument before Spring
     * starts, so that a bad value costs the user one line rather than a failed start-up's report.
     * @param args the command-line arguments
     * @return what is wrong, in one line, or null when nothing is
     */
    public static @Nullable String problemIn(String... args) {
        for (String arg : args) {
            for (String option : new String[] {"--load=", "--sample.load="}) {
                if (arg.startsWith(option)) {
                    try {
                        messages(arg.substring(option.length()));
                    } catch (IllegalArgumentException ex) {
                        return ex.getMessage();
                    }
                }
            }
        }
        return null;
    }

    /** @param value {@code ""}, {@code "true"} or a count like {@code 200000} or {@code 1_000_000} @return the count */
    static int messages(String value) {
        String digits = value.trim().replace("_", "").replace(",", "");
        if (digits.isEmpty() || digits.equalsIgnoreCase("true")) {
            return DEFAULT_MESSAGES;
        }
        try {
            int messages = Integer.parseInt(digits);
            if (messages >= 1) {
                return messages;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException("--load=" + value + " is not a message count; use e.g. --load=1000000");
    }
}
