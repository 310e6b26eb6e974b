package dev.critter.sample.orders;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

/** What the shop sells, with unit prices in cents. */
@Component
public class Catalog {

    private final Map<String, Long> prices = new TreeMap<>(Map.of("kettle", 2_999L, "teapot", 1_850L, "mug", 650L));

    /** @param sku a product code @return its unit price in cents, if sold */
    public OptionalLong priceOf(String sku) {
        Long price = prices.get(sku);
        return price == null ? OptionalLong.empty() : OptionalLong.of(price);
    }

    /** @return the product codes */
    public Set<String> skus() {
        return prices.keySet();
    }

    /** @param cents an amount @return it as {@code $12.34} */
    public static String money(long cents) {
        return String.format("$%d.%02d", cents / 100, cents % 100);
    }
}
