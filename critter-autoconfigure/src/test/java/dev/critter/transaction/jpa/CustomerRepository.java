package dev.critter.transaction.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** The application's repository for {@link Customer}. */
public interface CustomerRepository extends JpaRepository<Customer, String> {
}
