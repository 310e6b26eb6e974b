package dev.critter.runtime;

import java.util.List;

import dev.critter.DeliveryOptions;
import dev.critter.Envelope;
import dev.critter.NoHandlerException;
import dev.critter.handler.HandlerChain;
import dev.critter.handler.HandlerGraph;
import dev.critter.serialization.RawMessage;
import dev.critter.time.TimeSource;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;
import dev.critter.transport.Receipt;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where transports hand over received envelopes: drops expired ones, runs each handler chain
 * for the message (each with its own attempts and error policy), answers a waiting caller, and
 * dead-letters messages nobody handles.
 */
final class HandlerPipeline implements EnvelopeReceiver {

    private static final Log logger = LogFactory.getLog(HandlerPipeline.class);

    private final HandlerGraph graph;
    private final ChainRunner runner;
    private final ContextServices services;
    private final Observers observers;
    private final DeadLettering deadLettering;
    private final PendingReplies replies;
    private final TimeSource time;

    HandlerPipeline(HandlerGraph graph, ChainRunner runner, ContextServices services, Observers observers,
                    DeadLettering deadLettering, PendingReplies replies, TimeSource time) {
        this.graph = graph;
        this.runner = runner;
        this.services = services;
        this.observers = observers;
        this.deadLettering = deadLettering;
        this.replies = replies;
        this.time = time;
    }

    @Override
    public void receive(Envelope envelope, Endpoint from) {
        deliver(envelope, from);
    }

    /**
     * Handles the envelope and tells how it ended: {@link Receipt#UNSETTLED} when Critter's own
     * step failed (a dead letter that could not be stored), so a durable endpoint keeps its copy.
     */
    @Override
    public Receipt deliver(Envelope envelope, Endpoint from) {
        String address = from.address();
        observers.received(envelope, address);
        try {
            if (envelope.message() instanceof RawMessage raw) {
                // Bad input is kept before anything else is decided about it (expiry included):
                // its bytes are all there is to find out who sends it.
                DeadLettering.Unreadable unreadable = deadLettering.unreadable(envelope, address, raw);
                if (envelope.replyTo() != null) {
                    replies.fail(envelope.id(), unreadable.problem());
                }
                return unreadable.kept() ? Receipt.SETTLED : Receipt.UNSETTLED;
            }
            String replyFor = envelope.headers().get(RemoteReplies.REPLY_FOR);
            if (replyFor != null) {
                answer(envelope, replyFor);
                return Receipt.HANDLED;
            }
            if (envelope.deliverBy() != null && envelope.isExpired(time.now())) {
                observers.expired(envelope, address);
                if (logger.isDebugEnabled()) {
                    logger.debug("Discarded expired " + envelope.messageType() + " " + envelope.id()
                            + " (deliver-by " + envelope.deliverBy() + ")");
                }
                return Receipt.SETTLED;
            }
            List<HandlerChain> chains = chainsFor(envelope);
            if (chains.isEmpty()) {
                NoHandlerException problem = graph.noHandler(envelope.message().getClass());
                observers.noHandler(envelope, address);
                boolean kept = deadLettering.noHandler(envelope, address, problem);
                if (envelope.replyTo() != null) {
                    replies.fail(envelope.id(), problem);
                }
                return kept ? Receipt.SETTLED : Receipt.UNSETTLED;
            }
            return handle(envelope, chains, from);
        } catch (RuntimeException | Error ex) {
            logger.error("Critter failed while handling " + envelope.messageType() + " " + envelope.id(), ex);
            if (envelope.replyTo() != null) {
                replies.fail(envelope.id(), ex);
            }
            return Receipt.UNSETTLED;
        } finally {
            observers.finished(envelope, address);
        }
    }

    /** Handled only when every chain succeeded; deferred when one was requeued or scheduled for a retry. */
    private Receipt handle(Envelope envelope, List<HandlerChain> chains, Endpoint from) {
        // Resolved once per delivery, before any chain runs, whatever the chains do meanwhile.
        PendingReplies.Request request = null;
        ExpectedReply expected = null;
        boolean remoteCaller = false;
        if (PendingReplies.REPLY_TO.equals(envelope.replyTo())) {
            request = replies.find(envelope.id());
            expected = request != null ? request.expected()
                    : ExpectedReply.callerGone(envelope.headers().get(PendingReplies.RESPONSE_TYPE_HEADER));
        } else if (envelope.replyTo() != null && envelope.headers().get(PendingReplies.RESPONSE_TYPE_HEADER) != null) {
            // A caller in another process waits: the response goes back to its reply address.
            remoteCaller = true;
            expected = ExpectedReply.remoteCaller(envelope.headers().get(PendingReplies.RESPONSE_TYPE_HEADER));
        }
        Receipt receipt = Receipt.HANDLED;
        boolean unsettled = false;
        Object remoteResponse = null;
        // Indexed: an iterator per message is not always removed by the JIT on this path.
        for (int i = 0; i < chains.size(); i++) {
            HandlerChain chain = chains.get(i);
            ChainRunner.Outcome outcome;
            try {
                outcome = runner.runQueued(envelope, chain, expected, from, services);
            } catch (RuntimeException | Error ex) {
                // Critter's own step failed around the handler (an observation handler of the
                // application threw, say): the message is kept for this chain, and the others still run.
                logger.error("Critter failed while running " + chain.shortName() + " for " + envelope.messageType()
                        + " " + envelope.id(), ex);
                outcome = deadLettering.handlerFailed(envelope, chain, from, ex, null, null)
                        ? ChainRunner.Outcome.failed(ex) : new ChainRunner.Outcome(ChainRunner.Status.UNSETTLED, null, ex);
            }
            if (request != null) {
                request.finished(chain, outcome);
            }
            if (remoteCaller && remoteResponse == null) {
                remoteResponse = outcome.response();
            }
            if (outcome.status() == ChainRunner.Status.UNSETTLED) {
                unsettled = true;
            } else if (outcome.status() == ChainRunner.Status.DEFERRED) {
                receipt = Receipt.DEFERRED;
            } else if (outcome.status() == ChainRunner.Status.FAILED && receipt == Receipt.HANDLED) {
                receipt = Receipt.SETTLED;
            }
        }
        if (remoteResponse != null) {
            reply(envelope, remoteResponse);
        }
        // A failure whose dead letter was not stored is kept by a durable endpoint, which delivers
        // it again: all its chains then run again, which at-least-once delivery allows.
        return unsettled ? Receipt.UNSETTLED : receipt;
    }

    /** Sends a response back to the reply address of a caller in another process. */
    private void reply(Envelope request, Object response) {
        String replyTo = request.replyTo();
        Endpoint endpoint = replyTo == null ? null : replies.remote().replyEndpoint(replyTo).orElse(null);
        if (endpoint == null) {
            logger.warn("Reply to " + request.messageType() + " " + request.id() + " dropped: no transport reaches its "
                    + "reply address " + replyTo);
            return;
        }
        Envelope reply = services.envelopes().create(response, DeliveryOptions.none(), request).toBuilder()
                .header(RemoteReplies.REPLY_FOR, request.id().toString()).build();
        try {
            services.dispatcher().send(reply, endpoint, true);
        } catch (RuntimeException ex) {
            logger.warn("Reply to " + request.messageType() + " " + request.id() + " could not be sent to " + replyTo
                    + "; its caller times out (" + ex + ")");
        }
    }

    /** A reply from another process: completes the waiting caller, or is dropped when it stopped waiting. */
    private void answer(Envelope reply, String replyFor) {
        java.util.UUID requestId;
        try {
            requestId = java.util.UUID.fromString(replyFor);
        } catch (IllegalArgumentException ex) {
            logger.warn("Dropped a reply naming no request id (" + RemoteReplies.REPLY_FOR + "=" + replyFor + ")");
            return;
        }
        if (!replies.answer(requestId, reply.message()) && logger.isDebugEnabled()) {
            logger.debug("Reply " + reply.id() + " to request " + requestId + " dropped: its caller stopped waiting");
        }
    }

    private List<HandlerChain> chainsFor(Envelope envelope) {
        @Nullable String chainId = envelope.headers().get(ChainRunner.CHAIN_HEADER);
        if (chainId != null) {
            return graph.chain(chainId).map(List::of).orElse(List.of());
        }
        return graph.chainsFor(envelope.message().getClass());
    }
}
