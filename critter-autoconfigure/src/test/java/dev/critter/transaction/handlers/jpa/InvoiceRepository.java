package dev.critter.transaction.handlers.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** The application's repository for {@link Invoice}. */
public interface InvoiceRepository extends JpaRepository<Invoice, String> {
}
