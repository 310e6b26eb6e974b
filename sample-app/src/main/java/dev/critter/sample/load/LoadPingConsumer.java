package dev.critter.sample.load;

/** The load run's handler: notes when each message arrived, nothing else. */
public class LoadPingConsumer {

    private final LoadGenerator generator;

    public LoadPingConsumer(LoadGenerator generator) {
        this.generator = generator;
    }

    public void consume(LoadPing ping) {
        generator.handled(ping, System.nanoTime());
    }
}
