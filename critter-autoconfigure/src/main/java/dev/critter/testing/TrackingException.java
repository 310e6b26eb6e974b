package dev.critter.testing;

/**
 * A tracked session failed: it timed out, a handler failed without a later success, or an
 * expectation on its messages did not hold. The message ends with the session's activity table.
 */
public class TrackingException extends AssertionError {

    /**
     * Creates the exception.
     * @param message what went wrong, followed by the activity table
     * @param cause the handler exception, if one caused the failure
     */
    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates the exception.
     * @param message what went wrong, followed by the activity table
     */
    public TrackingException(String message) {
        super(message);
    }
}
