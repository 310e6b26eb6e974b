package dev.critter.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.critter.ReplyTimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * Callers waiting for a reply, by request envelope id. Every wait has a timeout, so the map
 * cannot grow without bound when replies never come.
 */
final class PendingReplies {

    /** The reply address of requests whose caller waits in this process. */
    static final String LOCAL_REPLY_ADDRESS = "local://replies";

    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(CompletableFuture<Object> future, @Nullable Class<?> responseType) {
    }

    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> register(UUID requestId, String messageType, @Nullable Class<T> responseType,
                                      Duration timeout) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        pending.put(requestId, new Pending(future, responseType));
        CompletableFuture<Object> timed = future.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<T> result = new CompletableFuture<>();
        timed.whenComplete((value, failure) -> {
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

    @Nullable Class<?> expectedType(UUID requestId) {
        Pending p = pending.get(requestId);
        return p == null ? null : p.responseType;
    }

    void complete(UUID requestId, @Nullable Object response) {
        Pending p = pending.get(requestId);
        if (p != null) {
            p.future.complete(response);
        }
    }

    void fail(UUID requestId, Throwable failure) {
        Pending p = pending.get(requestId);
        if (p != null) {
            p.future.completeExceptionally(failure);
        }
    }

    void failAll(Throwable failure) {
        pending.values().forEach(p -> p.future.completeExceptionally(failure));
    }
}
