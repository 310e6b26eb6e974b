package dev.critter.sample.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.critter.sample.SampleApplication;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadModeTests {

    @Test
    void loadWithoutNumberPushesAMillionWithoutWebServerOrWalkthrough() {
        StandardEnvironment environment = environmentWith(Map.of("load", ""));

        LoadMode.apply(environment);

        assertThat(environment.getProperty("sample.load", Integer.class)).isEqualTo(1_000_000);
        assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
        assertThat(environment.getProperty("sample.walkthrough.enabled", Boolean.class)).isFalse();
    }

    @Test
    void acceptsCountsWithSeparatorsFromEitherKey() {
        assertThat(LoadMode.messages("200000")).isEqualTo(200_000);
        assertThat(LoadMode.messages("1_000_000")).isEqualTo(1_000_000);
        assertThat(LoadMode.messages("5,000")).isEqualTo(5_000);
        StandardEnvironment environment = environmentWith(Map.of("sample.load", "20_000"));
        LoadMode.apply(environment);
        assertThat(environment.getProperty("sample.load", Integer.class)).isEqualTo(20_000);
    }

    @Test
    void rejectsWhatIsNotACount() {
        assertThatThrownBy(() -> LoadMode.messages("lots")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--load=lots is not a message count; use e.g. --load=1000000");
        assertThatThrownBy(() -> LoadMode.messages("0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBadLoadArgumentIsFoundBeforeSpringStarts() {
        assertThat(LoadMode.problemIn("--load=lots")).isEqualTo("--load=lots is not a message count; use e.g. --load=1000000");
        assertThat(LoadMode.problemIn("--sample.load=-5")).isEqualTo("--load=-5 is not a message count; use e.g. --load=1000000");
        assertThat(LoadMode.problemIn("--load=99999999999")).isNotNull();
        assertThat(LoadMode.problemIn("--load=1_000", "--load", "--other=x")).isNull();
        assertThat(LoadMode.problemIn()).isNull();
    }

    @Test
    void theApplicationGivenABadLoadValuePrintsOneLineAndExits() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SampleApplication.class.getName(), "--load=lots")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the application exits").isTrue();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(printed.lines().toList()).containsExactly("--load=lots is not a message count; use e.g. --load=1000000");
        assertThat(process.exitValue()).isEqualTo(2);
    }

    @Test
    void leavesTheApplicationAloneWithoutLoad() {
        StandardEnvironment environment = environmentWith(Map.of());

        LoadMode.apply(environment);

        assertThat(environment.getProperty("spring.main.web-application-type")).isNull();
        assertThat(environment.getProperty("sample.load")).isNull();
    }

    private static StandardEnvironment environmentWith(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
