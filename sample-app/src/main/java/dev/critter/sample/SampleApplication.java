package dev.critter.sample;

import dev.critter.sample.load.LoadMode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Critter's sample: a small sign-up and order service.
 * <p>
 * {@code java -jar sample-app.jar} starts it, walks once through every flow (printing what
 * happened), then serves HTTP on port 8080. {@code java -jar sample-app.jar --load=1000000}
 * instead pushes a million messages through a local queue and prints throughput and latency.
 * <p>
 * Handlers need no annotation and no bean: Critter finds the classes named {@code ...Handler}
 * and {@code ...Consumer} in this package and below.
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class SampleApplication {

    public static void main(String[] args) {
        String badLoad = LoadMode.problemIn(args);
        if (badLoad != null) {
            System.err.println(badLoad);
            System.exit(2);
        }
        SpringApplication application = new SpringApplication(SampleApplication.class);
        // --load switches the web server and the walkthrough off before the context starts.
        application.addListeners(new LoadMode());
        application.run(args);
    }
}
