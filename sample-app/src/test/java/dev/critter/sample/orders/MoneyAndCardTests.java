package dev.critter.sample.orders;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Money reads the same everywhere, and a card number never gets past the edge whole. */
class MoneyAndCardTests {

    @Test
    void moneyHasTwoDecimalsAThousandsSeparatorAndTheSignInFront() {
        assertThat(Catalog.money(0)).isEqualTo("$0.00");
        assertThat(Catalog.money(5)).isEqualTo("$0.05");
        assertThat(Catalog.money(2_999)).isEqualTo("$29.99");
        assertThat(Catalog.money(123_456_789)).isEqualTo("$1,234,567.89");
        assertThat(Catalog.money(-50)).isEqualTo("-$0.50");
        assertThat(Catalog.money(-1_234_56)).isEqualTo("-$1,234.56");
    }

    @Test
    void moneyIsTheSameInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            for (Locale locale : new Locale[] {Locale.GERMANY, Locale.forLanguageTag("ar-EG"), Locale.forLanguageTag("hi-IN")}) {
                Locale.setDefault(locale);
                assertThat(Catalog.money(123_456)).as(locale.toString()).isEqualTo("$1,234.56");
            }
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aCardNumberIsReducedToItsLastFourDigits() {
        assertThat(CardNumber.lastFour("4242 4242 4242 4242")).isEqualTo("4242");
        assertThat(CardNumber.lastFour("5555-4444-3333-1111")).isEqualTo("1111");
        assertThat(CardNumber.lastFour("378282246310005")).isEqualTo("0005");
    }

    @Test
    void whatIsNotACardNumberIsRefusedWithoutRepeatingIt() {
        for (String bad : new String[] {"4242", "4242 4242 4242 4242 4242 4242", "4242 4242 4242 424x", ""}) {
            assertThatThrownBy(() -> CardNumber.lastFour(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("card must be 12 to 19 digits (spaces and dashes allowed)");
        }
    }
}
