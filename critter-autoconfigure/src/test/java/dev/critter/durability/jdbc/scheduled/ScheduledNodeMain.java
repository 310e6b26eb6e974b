package dev.critter.durability.jdbc.scheduled;

import dev.critter.durability.DurabilityNode;
import dev.critter.support.TestPostgres.TestDatabase;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node of the kill test, run in a child JVM: starts an application on the database given as
 * arguments (url, user, password, milliseconds per tick, then more properties), prints its node
 * id and runs until it is killed.
 */
public final class ScheduledNodeMain {

    private ScheduledNodeMain() {
    }

    /**
     * Runs the node.
     * @param args url, user, password, milliseconds per tick, then properties
     * @throws InterruptedException never: the test kills this process
     */
    public static void main(String[] args) throws InterruptedException {
        ScheduledFixtures.tickMillis = Long.parseLong(args[3]);
        String[] properties = java.util.Arrays.copyOfRange(args, 4, args.length);
        ConfigurableApplicationContext app = ScheduledFixtures.start(new TestDatabase(args[0], args[1], args[2]),
                properties);
        System.out.println("NODE " + app.getBean(DurabilityNode.class).id());
        System.out.flush();
        Thread.currentThread().join(); // stays up, handling, until the test kills it
    }
}
