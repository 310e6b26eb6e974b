package dev.critter.sample.load;

import dev.critter.sample.SampleProperties;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/** In load mode ({@code --load=N}): runs the load once, then closes the application and exits. */
@Component
@ConditionalOnProperty("sample.load")
class LoadModeRunner implements ApplicationRunner {

    private final LoadGenerator generator;
    private final SampleProperties properties;
    private final ApplicationContext context;

    LoadModeRunner(LoadGenerator generator, SampleProperties properties, ApplicationContext context) {
        this.generator = generator;
        this.properties = properties;
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        int messages = properties.load() != null ? properties.load() : LoadMode.DEFAULT_MESSAGES;
        generator.run(messages, System.out);
        System.exit(SpringApplication.exit(context, () -> 0));
    }
}
