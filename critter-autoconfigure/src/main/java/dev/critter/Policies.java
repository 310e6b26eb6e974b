package dev.critter;

/** Switches that apply to every local queue or endpoint at once. */
public final class Policies {

    private boolean durableLocalQueues;

    Policies() {
    }

    /**
     * Makes every local queue durable (backed by the PostgreSQL inbox); needs durability on.
     * @return these policies
     */
    public Policies useDurableLocalQueues() {
        this.durableLocalQueues = true;
        return this;
    }

    /**
     * Returns whether every local queue is durable.
     * @return whether every local queue is durable
     */
    public boolean durableLocalQueues() {
        return durableLocalQueues;
    }
}
