package dev.critter.runtime;

import java.util.List;
import java.util.UUID;

import dev.critter.DeadLetter;
import dev.critter.Envelope;
import dev.critter.NoHandlerException;
import dev.critter.handler.HandlerChain;
import dev.critter.transport.Endpoint;
import dev.critter.transport.EnvelopeReceiver;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Where transports hand over received envelopes: drops expired ones, runs each handler chain
 * for the message (each with its own attempts and error policy), answers a waiting caller, and
 * dead-letters messages nobody handles.
 */
final class HandlerPipeline implements EnvelopeReceiver {

    private static final Log logger = LogFactory.getLog(HandlerPipeline.class);

    private final Messaging messaging;

    HandlerPipeline(Messaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public void receive(Envelope envelope, Endpoint from) {
        String address = from.address();
        messaging.observers.received(envelope, address);
        try {
            if (envelope.deliverBy() != null && envelope.isExpired(messaging.now())) {
                messaging.observers.expired(envelope, address);
                if (logger.isDebugEnabled()) {
                    logger.debug("Discarded expired " + envelope.messageType() + " " + envelope.id()
                            + " (deliver-by " + envelope.deliverBy() + ")");
                }
                return;
            }
            List<HandlerChain> chains = chainsFor(envelope);
            if (chains.isEmpty()) {
                noHandler(envelope, from);
                return;
            }
            handle(envelope, chains, from);
        } catch (RuntimeException | Error ex) {
            logger.error("Critter failed while handling " + envelope.messageType() + " " + envelope.id(), ex);
            if (envelope.replyTo() != null) {
                messaging.replies.fail(envelope.id(), ex);
            }
        } finally {
            messaging.observers.finished(envelope, address);
        }
    }

    private void handle(Envelope envelope, List<HandlerChain> chains, Endpoint from) {
        boolean waited = PendingReplies.LOCAL_REPLY_ADDRESS.equals(envelope.replyTo());
        Class<?> responseType = waited ? messaging.replies.expectedType(envelope.id()) : null;
        Object response = null;
        Throwable failure = null;
        HandlerChain failed = null;
        boolean deferred = false;
        for (HandlerChain chain : chains) {
            ChainRunner.Outcome outcome = messaging.runner.runQueued(envelope, chain, responseType, from);
            switch (outcome.status()) {
                case SUCCEEDED -> response = response != null ? response : outcome.response();
                case DEFERRED -> deferred = true;
                case FAILED -> {
                    failure = failure != null ? failure : outcome.failure();
                    failed = failed != null ? failed : chain;
                }
            }
        }
        if (waited && !deferred) {
            if (failure != null) {
                messaging.replies.fail(envelope.id(), ChainRunner.rethrowable(failure, failed));
            } else {
                messaging.replies.complete(envelope.id(), response);
            }
        }
    }

    private List<HandlerChain> chainsFor(Envelope envelope) {
        String chainId = envelope.headers().get(ChainRunner.CHAIN_HEADER);
        if (chainId != null) {
            return messaging.graph.chain(chainId).map(List::of).orElse(List.of());
        }
        return messaging.graph.chainsFor(envelope.message().getClass());
    }

    private void noHandler(Envelope envelope, Endpoint from) {
        messaging.observers.noHandler(envelope, from.address());
        NoHandlerException problem = messaging.graph.noHandler(envelope.message().getClass());
        DeadLetter letter = new DeadLetter(UUID.randomUUID(), envelope, from.address(), null,
                NoHandlerException.class.getName(), problem.getMessage(), "", messaging.now());
        messaging.deadLetters.add(letter);
        logger.warn("No handler for " + envelope.messageType() + " " + envelope.id() + " received at "
                + from.address() + "; moved to the dead letters (dead letter " + letter.id() + ")");
        messaging.observers.deadLettered(letter);
        if (envelope.replyTo() != null) {
            messaging.replies.fail(envelope.id(), problem);
        }
    }

    /** Sends a dead letter's message back to its endpoint and chain, attempts reset. */
    void replay(DeadLetter letter) {
        Endpoint endpoint = messaging.endpoints.find(letter.destination()).orElseThrow(() ->
                new IllegalStateException("Dead letter " + letter.id() + " came from " + letter.destination()
                        + ", which no longer exists"));
        Envelope.Builder again = letter.envelope().toBuilder().attempts(0);
        String chain = letter.handler();
        again.header(ChainRunner.CHAIN_HEADER, chain);
        Envelope replayed = again.build();
        messaging.observers.published(replayed);
        messaging.send(replayed, endpoint, false);
    }
}
