package dev.critter.benchmarks.outbox;

import java.time.Duration;

/** One way of publishing messages in transactions and handling them after the commit. */
interface OutboxSubject extends AutoCloseable {

    /** @return the name printed beside its figures */
    String name();

    /** @param messages how many messages the next round publishes */
    void expect(int messages);

    /**
     * Publishes messages {@code first} .. {@code first + count - 1} in one transaction, on the calling thread.
     * @param first the first message's number
     * @param count how many
     */
    void publishInTransaction(int first, int count);

    /**
     * Waits until every message of the round was handled and the outbox is empty.
     * @param timeout how long before declaring messages lost
     * @throws InterruptedException when interrupted
     */
    void awaitHandledAndEmpty(Duration timeout) throws InterruptedException;

    @Override
    void close();
}
