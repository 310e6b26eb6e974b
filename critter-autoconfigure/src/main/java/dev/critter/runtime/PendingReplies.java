package dev.critter.runtime;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.critter.ReplyTimeoutException;
import dev.critter.handler.HandlerChain;
import dev.critter.transport.Destination;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Callers of {@code invokeAsync} waiting for a reply, by request envelope id. A request is
 * answered once every chain of its message type finished for good (a requeued or rescheduled
 * chain is still outstanding): with the response, or with the first failure. Every wait has a
 * timeout, so the map cannot grow without bound when replies never come.
 */
final class PendingReplies {

    /** The reply address of requests whose caller waits in this process. */
    static final String REPLY_TO = new Destination("local", "replies").toString();

    /** Names the response type a request's caller expects, so a late reply is known for what it is. */
    static final String RESPONSE_TYPE_HEADER = "critter-response-type";

    private static final Log logger = LogFactory.getLog(PendingReplies.class);

    private final Map<UUID, Request> pending = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final RemoteReplies remote;

    /**
     * @param timeout how long a caller waits for its reply
     * @param remote reply addresses and endpoints of requests across processes
     */
    PendingReplies(Duration timeout, RemoteReplies remote) {
        this.timeout = timeout;
        this.remote = remote;
    }

    RemoteReplies remote() {
        return remote;
    }

    /**
     * Answers a request sent to another process with the reply that came back.
     * @return whether a caller still waited for it
     */
    boolean answer(UUID requestId, Object reply) {
        Request request = pending.get(requestId);
        if (request == null) {
            return false;
        }
        if (request.responseType != null && !request.responseType.isInstance(reply)) {
            request.complete(null, new ClassCastException("The reply to request " + requestId + " is a "
                    + reply.getClass().getName() + ", but the caller asked for a " + request.responseType.getName()));
        } else {
            request.complete(reply, null);
        }
        return true;
    }

    /** A request whose caller still waits. */
    final class Request {

        private final UUID id;
        private final @Nullable Class<?> responseType;
        private final CompletableFuture<Object> future = new CompletableFuture<>();
        // Guarded by this.
        private final Set<String> outstanding;
        private @Nullable Object response;

        private Request(UUID id, @Nullable Class<?> responseType, List<HandlerChain> chains) {
            this.id = id;
            this.responseType = responseType;
            this.outstanding = new HashSet<>();
            chains.forEach(chain -> outstanding.add(chain.id()));
        }

        ExpectedReply expected() {
            return ExpectedReply.waitingFor(responseType);
        }

        /** Records how one chain's run ended; answers the caller once no chain is outstanding. */
        void finished(HandlerChain chain, ChainRunner.Outcome outcome) {
            switch (outcome.status()) {
                case DEFERRED -> {
                    // retried later: still outstanding
                }
                case FAILED, UNSETTLED -> complete(null, ChainRunner.rethrowable(outcome.failure(), chain));
                case SUCCEEDED -> {
                    Object reply = outcome.response();
                    if (reply != null && responseType != null && !responseType.isInstance(reply)) {
                        complete(null, wrongType(reply, responseType, chain));
                        return;
                    }
                    boolean done;
                    Object answer;
                    synchronized (this) {
                        outstanding.remove(chain.id());
                        if (response == null) {
                            response = reply;
                        }
                        done = outstanding.isEmpty();
                        answer = response;
                    }
                    if (done) {
                        complete(answer, null);
                    }
                }
            }
        }

        private void complete(@Nullable Object value, @Nullable Throwable failure) {
            pending.remove(id);
            boolean answered = failure != null ? future.completeExceptionally(failure) : future.complete(value);
            if (!answered && logger.isDebugEnabled()) {
                // The caller timed out (or Critter stopped) while the handlers ran.
                logger.debug("Reply " + (failure != null ? failure : value) + " to request " + id
                        + " dropped: its caller stopped waiting (critter.invoke.timeout)");
            }
        }
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> register(UUID requestId, String messageType, @Nullable Class<T> responseType,
                                      List<HandlerChain> chains) {
        Request request = new Request(requestId, responseType, chains);
        pending.put(requestId, request);
        CompletableFuture<T> result = new CompletableFuture<>();
        request.future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            pending.remove(requestId);
            if (failure instanceof TimeoutException) {
                result.completeExceptionally(new ReplyTimeoutException(messageType, timeout));
            } else if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete((T) value);
            }
        });
        return result;
    }

    /**
     * @param requestId a request envelope's id
     * @return the request, or {@code null} when its caller no longer waits (timed out, answered)
     */
    @Nullable Request find(UUID requestId) {
        return pending.get(requestId);
    }

    void fail(UUID requestId, Throwable failure) {
        Request request = pending.get(requestId);
        if (request != null) {
            request.complete(null, failure);
        }
    }

    void failAll(Throwable failure) {
        pending.values().forEach(request -> request.complete(null, failure));
    }

    /** A reply that is not of the type the caller asked for: a clear error now, not a cast failure later. */
    static ClassCastException wrongType(Object reply, Class<?> responseType, HandlerChain chain) {
        return new ClassCastException(chain.shortName() + " replied with a " + reply.getClass().getName()
                + ", but the caller asked for a " + responseType.getName() + "; return or respond(...) with a "
                + responseType.getSimpleName() + ", or ask for " + reply.getClass().getSimpleName() + ".class");
    }
}
