package dev.critter.sample.orders;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

/** What the shop sells, with unit prices in cents and the stock it starts with. */
@Component
public class Catalog {

    private final Map<String, Long> prices = new TreeMap<>(Map.of("kettle", 2_999L, "teapot", 1_850L, "mug", 650L));
    private final Map<String, Integer> initialStock = new TreeMap<>(Map.of("kettle", 50, "teapot", 50, "mug", 100));

    /** @param sku a product code @return its unit price in cents, if sold */
    public OptionalLong priceOf(String sku) {
        Long price = prices.get(sku);
        return price == null ? OptionalLong.empty() : OptionalLong.of(price);
    }

    /** @param sku a product code @return whether the shop sells it */
    public boolean sells(String sku) {
        return prices.containsKey(sku);
    }

    /** @return the product codes */
    public Set<String> skus() {
        return prices.keySet();
    }

    /** @return the items in stock when the shop opens, by product code */
    public Map<String, Integer> initialStock() {
        return initialStock;
    }

    /**
     * @param cents an amount, possibly negative
     * @return it as {@code $1,234.56} or {@code -$0.50}, the same in every locale
     */
    public static String money(long cents) {
        long abs = Math.abs(cents);
        return String.format(Locale.ROOT, "%s$%,d.%02d", cents < 0 ? "-" : "", abs / 100, abs % 100);
    }
}
