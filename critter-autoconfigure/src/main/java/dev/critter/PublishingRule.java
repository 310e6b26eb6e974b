package dev.critter;

import java.util.function.Predicate;

/**
 * One routing rule: the message types it matches and the destination they go to.
 * @param description how the rule was declared, for diagnostics and errors
 * @param matches which message classes the rule takes
 * @param destination the destination address: {@code local://name}, {@code rabbitmq://queue/name}
 *                    or {@code rabbitmq://exchange/name[/routing-key]}
 * @param matchesSubtypes whether matching a type implies matching all its subtypes
 *                        ({@code messagesImplementing}: yes; {@code message} and {@code messagesInPackage}: no)
 */
public record PublishingRule(String description, Predicate<Class<?>> matches, String destination,
                             boolean matchesSubtypes) {
}
