package dev.critter.sample.walkthrough;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.critter.Envelope;
import dev.critter.testing.TrackedEvent;
import dev.critter.testing.TrackedSession;

/**
 * Draws what a tracked session saw as a tree of messages, each under the message that caused it,
 * with the handlers that ran it:
 * <pre>
 * PlaceOrder                  OrderHandler
 * +- OrderPlaced              OrderConfirmationConsumer, PaymentHandler
 * |  +- PaymentCaptured       AuditTrailConsumer
 * </pre>
 */
final class CascadeTree {

    private CascadeTree() {
    }

    private static final class Node {
        final Envelope envelope;
        final Set<String> handlers = new LinkedHashSet<>();
        final Map<String, Integer> failures = new LinkedHashMap<>();
        final List<Node> children = new ArrayList<>();
        boolean delayed;
        boolean deadLettered;
        boolean noRoute;

        Node(Envelope envelope) {
            this.envelope = envelope;
        }
    }

    static List<String> render(TrackedSession session) {
        Map<UUID, Node> nodes = new LinkedHashMap<>();
        for (TrackedEvent event : session.events()) {
            Node node = nodes.computeIfAbsent(event.envelope().id(), id -> new Node(event.envelope()));
            switch (event.kind()) {
                case EXECUTED -> node.handlers.add(handlerClass(event.detail()));
                case FAILED -> node.failures.merge(handlerClass(event.detail()), 1, Integer::sum);
                case SCHEDULED -> node.delayed = true;
                case DEAD_LETTERED -> node.deadLettered = true;
                case NO_ROUTES -> node.noRoute = true;
                default -> { }
            }
        }
        List<Node> roots = new ArrayList<>();
        for (Node node : nodes.values()) {
            Node parent = node.envelope.causationId() == null ? null : nodes.get(node.envelope.causationId());
            (parent == null ? roots : parent.children).add(node);
        }
        List<String[]> rows = new ArrayList<>();
        for (Node root : roots) {
            add(rows, root, "", "");
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        return rows.stream().map(r -> String.format("%-" + width + "s   %s", r[0], r[1]).stripTrailing()).toList();
    }

    private static void add(List<String[]> rows, Node node, String prefix, String childPrefix) {
        rows.add(new String[] {prefix + label(node), outcome(node)});
        for (int i = 0; i < node.children.size(); i++) {
            boolean last = i == node.children.size() - 1;
            add(rows, node.children.get(i), childPrefix + "+- ", childPrefix + (last ? "   " : "|  "));
        }
    }

    private static String label(Node node) {
        Envelope e = node.envelope;
        StringBuilder label = new StringBuilder(e.message().getClass().getSimpleName());
        if (node.delayed && e.scheduledAt() != null) {
            long millis = e.scheduledAt().toEpochMilli() - e.sentAt().toEpochMilli();
            label.append(String.format(" (delayed %.1f s)", millis / 1000.0));
        }
        if (e.tenantId() != null) {
            label.append(" [tenant ").append(e.tenantId()).append(']');
        }
        return label.toString();
    }

    private static String outcome(Node node) {
        List<String> parts = new ArrayList<>();
        for (String handler : node.handlers) {
            parts.add(handler + (node.failures.containsKey(handler) ? " (after " + node.failures.get(handler) + " failures)" : ""));
        }
        node.failures.forEach((handler, count) -> {
            if (!node.handlers.contains(handler)) {
                parts.add(handler + " FAILED " + count + "x" + (node.deadLettered ? " -> dead letters" : ""));
            }
        });
        if (node.noRoute) {
            parts.add("(no route: nobody handles it)");
        }
        return parts.isEmpty() ? "(nothing ran it)" : "-> " + String.join(", ", parts);
    }

    /** {@code "PaymentHandler.handle(OrderPlaced, MessageContext) threw ..."} → {@code "PaymentHandler"}. */
    private static String handlerClass(String detail) {
        int dot = detail.indexOf('.');
        return dot < 0 ? detail : detail.substring(0, dot);
    }
}
