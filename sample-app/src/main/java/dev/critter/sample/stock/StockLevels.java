package dev.critter.sample.stock;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.critter.sample.orders.Catalog;

import org.springframework.stereotype.Component;

/**
 * Stock per product, with the changes in the order they were applied, and checks of the
 * partitioned queue's promise: never two changes of one product at once. Products start with the
 * catalog's stock; a change that would take a product below zero is refused, not applied.
 */
@Component
public class StockLevels {

    private static final int KEPT_PER_PRODUCT = 100;

    private final Map<String, Product> products = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public StockLevels(Catalog catalog) {
        catalog.initialStock().forEach((sku, level) -> products.computeIfAbsent(sku, id -> new Product()).level = level);
    }

    private static final class Product {
        final AtomicInteger running = new AtomicInteger();
        final List<StockChanged> applied = new ArrayList<>();
        final Set<String> threads = new LinkedHashSet<>();
        int level;
    }

    /** Called by the handler before it works on a change. */
    void started(StockChanged change) {
        Product product = products.computeIfAbsent(change.productId(), id -> new Product());
        if (product.running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    }

    /**
     * Applies a change; called by the handler between {@link #started} and {@link #finished}.
     * @return the level after the change, or empty when it was refused because it would take the
     *         product below zero
     */
    OptionalInt apply(StockChanged change) {
        Product product = products.get(change.productId());
        synchronized (product) {
            if (product.level + change.delta() < 0) {
                refused.incrementAndGet();
                return OptionalInt.empty();
            }
            product.level += change.delta();
            product.applied.add(change);
            if (product.applied.size() > KEPT_PER_PRODUCT) {
                product.applied.remove(0);
            }
            product.threads.add(Thread.currentThread().getName());
            return OptionalInt.of(product.level);
        }
    }

    void finished(StockChanged change) {
        products.get(change.productId()).running.decrementAndGet();
        running.decrementAndGet();
    }

    /** @return the stock level of every product seen, by product */
    public Map<String, Integer> levels() {
        Map<String, Integer> levels = new TreeMap<>();
        products.forEach((id, p) -> {
            synchronized (p) {
                levels.put(id, p.level);
            }
        });
        return levels;
    }

    /** @param productId a product @return its recent changes, in the order they were applied */
    public List<StockChanged> applied(String productId) {
        Product product = products.get(productId);
        if (product == null) {
            return List.of();
        }
        synchronized (product) {
            return List.copyOf(product.applied);
        }
    }

    /** @param productId a product @return the worker threads that applied its changes */
    public Set<String> threads(String productId) {
        Product product = products.get(productId);
        if (product == null) {
            return Set.of();
        }
        synchronized (product) {
            return Set.copyOf(product.threads);
        }
    }

    /** @return how many times two changes of one product ran at once (0: the queue kept its promise) */
    public int sameProductOverlaps() {
        return overlaps.get();
    }

    /** @return how many changes were refused because they would have taken a product below zero */
    public int refusedChanges() {
        return refused.get();
    }

    /** @param productId a product @return its level now (0 for a product never seen) */
    public int level(String productId) {
        Product product = products.get(productId);
        if (product == null) {
            return 0;
        }
        synchronized (product) {
            return product.level;
        }
    }

    /** @return the most changes (of any products) ever applied at the same time */
    public int maxConcurrent() {
        return maxRunning.get();
    }
}
