package dev.critter.sample.orders;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

/**
 * A row of {@code sample.orders} (see {@code schema.sql}), written by {@link OrderService} in the
 * transaction that publishes its {@link PlaceOrder}. Only the card's last four digits are kept.
 * <p>
 * Its id ({@code o-1001}, ...) is assigned before saving, so it implements {@link Persistable}:
 * otherwise Spring Data would take a new order with an id for an existing one and read it first.
 */
@Entity
@Table(schema = "sample", name = "orders")
public class CustomerOrder implements Persistable<String> {

    @Id
    private String id;
    private String sku;
    private int quantity;
    private long totalCents;
    private String cardEnding;
    @Enumerated(EnumType.STRING)
    private OrderStatus status;
    private Instant placedAt;
    private Instant updatedAt;
    @Transient
    private boolean saved;

    /** For JPA, which creates the orders it reads. */
    protected CustomerOrder() {
    }

    CustomerOrder(String id, String sku, int quantity, long totalCents, String cardEnding, Instant placedAt) {
        this.id = id;
        this.sku = sku;
        this.quantity = quantity;
        this.totalCents = totalCents;
        this.cardEnding = CardNumber.requireEnding(cardEnding);
        this.status = OrderStatus.PLACED;
        this.placedAt = placedAt;
        this.updatedAt = placedAt;
    }

    @PostLoad
    @PostPersist
    void saved() {
        saved = true;
    }

    /** @return {@code true} until the order was inserted (or when it was read from the table) */
    @Override
    public boolean isNew() {
        return !saved;
    }

    /** @return the order's id, e.g. {@code o-1001} */
    @Override
    public String getId() {
        return id;
    }

    /** @return the product code */
    public String getSku() {
        return sku;
    }

    /** @return how many */
    public int getQuantity() {
        return quantity;
    }

    /** @return the price, in cents */
    public long getTotalCents() {
        return totalCents;
    }

    /** @return the last four digits of the card */
    public String getCardEnding() {
        return cardEnding;
    }

    /** @return where it stands */
    public OrderStatus getStatus() {
        return status;
    }

    /** @return when it was placed */
    public Instant getPlacedAt() {
        return placedAt;
    }

    /** @return when its status last changed (when it was placed, until then) */
    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
