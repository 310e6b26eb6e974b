package dev.critter.transaction.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** A row written through Spring Data JPA in the same transaction that publishes a message. */
@Entity
public class Customer {

    @Id
    private String id;

    protected Customer() {
    }

    Customer(String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }
}
