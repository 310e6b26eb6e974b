package dev.critter.durability.outbox.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** The application's repository for {@link Booking}. */
public interface BookingRepository extends JpaRepository<Booking, String> {
}
