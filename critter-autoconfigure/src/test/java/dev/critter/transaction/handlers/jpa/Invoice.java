package dev.critter.transaction.handlers.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** An entity a transactional handler saves through a Spring Data JPA repository. */
@Entity
public class Invoice {

    @Id
    private String id;

    protected Invoice() {
    }

    Invoice(String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }
}
