package dev.critter;

/**
 * Java configuration for Critter. Every bean of this type is called once at start-up, after the
 * {@code critter.*} properties were applied, so settings made here win over properties.
 * <pre>{@code
 * @Bean CritterConfigurer messaging() {
 *     return o -> {
 *         o.localQueueFor(SignUpRequest.class).maximumParallelMessages(20);
 *         o.publish(r -> r.messagesImplementing(DomainEvent.class).toLocalQueue("events"));
 *         o.localQueue("events").sequential();
 *     };
 * }
 * }</pre>
 */
@FunctionalInterface
public interface CritterConfigurer {

    /**
     * Changes Critter's options; called once at start-up.
     * @param options the options to change
     */
    void configure(CritterOptions options);
}
