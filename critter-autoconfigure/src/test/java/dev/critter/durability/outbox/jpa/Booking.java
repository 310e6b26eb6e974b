package dev.critter.durability.outbox.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity saved through Spring Data JPA in the transaction that publishes its message. */
@Entity
public class Booking {

    @Id
    private String id;

    protected Booking() {
    }

    Booking(String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }
}
