package dev.critter.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationTests {

    @Test
    void theTextFormParsesIntoSchemeAndNameAndBack() {
        Destination exchange = Destination.parse("rabbitmq://exchange/orders/created");
        assertThat(exchange.scheme()).isEqualTo("rabbitmq");
        assertThat(exchange.name()).isEqualTo("exchange/orders/created");
        assertThat(exchange.hasScheme("rabbitmq")).isTrue();
        assertThat(exchange).hasToString("rabbitmq://exchange/orders/created");
        assertThat(Destination.parse("local://orders")).isEqualTo(new Destination("local", "orders"));
    }

    @Test
    void textThatIsNotSchemeAndNameIsRefusedEchoingIt() {
        for (String bad : new String[] {"orders", "://orders", "local://", "local:/orders"}) {
            assertThatThrownBy(() -> Destination.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> new Destination("lo/cal", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
