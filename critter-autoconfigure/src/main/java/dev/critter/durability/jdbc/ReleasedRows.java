package dev.critter.durability.jdbc;

/**
 * The rows one release handed back to live nodes.
 * @param outgoing outbox rows now unowned
 * @param incoming queued inbox rows now unowned
 * @param scheduled claimed scheduled rows back to waiting
 * @param slots ordered-queue slots ({@code critter_partition_owners} rows) given up
 */
record ReleasedRows(int outgoing, int incoming, int scheduled, int slots) {

    static final ReleasedRows NONE = new ReleasedRows(0, 0, 0, 0);

    boolean any() {
        return outgoing + incoming + scheduled + slots > 0;
    }

    ReleasedRows plus(ReleasedRows other) {
        return new ReleasedRows(outgoing + other.outgoing, incoming + other.incoming, scheduled + other.scheduled,
                slots + other.slots);
    }

    @Override
    public String toString() {
        return outgoing + " outgoing, " + incoming + " incoming and " + scheduled + " scheduled row(s) and " + slots
                + " ordered-queue slot(s)";
    }
}
