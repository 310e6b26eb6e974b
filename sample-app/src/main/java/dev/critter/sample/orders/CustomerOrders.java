package dev.critter.sample.orders;

import java.time.Instant;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** The orders table, through Spring Data JPA. */
public interface CustomerOrders extends JpaRepository<CustomerOrder, String> {

    /** @return the next order number (1001, 1002, ...); numbers of rolled-back orders are not reused */
    @Query(value = "SELECT nextval('sample.order_numbers')", nativeQuery = true)
    long nextOrderNumber();

    /**
     * Moves an order on, only from the status it is expected to be in, so that a payment and a
     * payment deadline arriving together cannot both win.
     * @param id the order
     * @param from the status it must be in
     * @param to its new status
     * @param at when it moved
     * @return 1 when it moved, 0 when it was not in {@code from} (or does not exist)
     */
    @Transactional
    @Modifying
    @Query("UPDATE CustomerOrder o SET o.status = :to, o.updatedAt = :at WHERE o.id = :id AND o.status = :from")
    int changeStatus(String id, OrderStatus from, OrderStatus to, Instant at);
}
