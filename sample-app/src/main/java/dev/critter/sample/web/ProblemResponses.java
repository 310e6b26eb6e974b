package dev.critter.sample.web;

import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Every error answer is a ProblemDetail (RFC 9457) whose {@code detail} says what is wrong with
 * the request, never repeating a value that may be a card number. Spring MVC's own errors
 * (unreadable body, wrong type) are given plain-word details; controllers throw
 * {@code ResponseStatusException}s whose reason becomes the detail.
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail;
        for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                return problem(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage(), ex, headers, request);
            }
        }
        if (ex.getCause() instanceof JacksonException json && !json.getPath().isEmpty()) {
            String field = json.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
            detail = "field '" + field + "' has a value of the wrong type or out of range";
        } else if (ex.getCause() instanceof JacksonException) {
            detail = "the body is not valid JSON";
        } else {
            detail = "the body is missing or unreadable; send JSON with Content-Type: application/json";
        }
        return problem(HttpStatus.BAD_REQUEST, detail, ex, headers, request);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName()
                : String.valueOf(ex.getPropertyName());
        String type = ex.getRequiredType() != null ? ex.getRequiredType().getSimpleName() : "value";
        String expected = type.equals("int") || type.equals("Integer") || type.equals("long") ? "a whole number" : type;
        return problem(HttpStatus.BAD_REQUEST, name + " must be " + expected, ex, headers, request);
    }

    /** A body too large for a request that did not say its length up front. */
    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(BodyTooLargeException ex) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage()));
    }

    private @Nullable ResponseEntity<Object> problem(HttpStatus status, String detail, Exception ex,
                                                     HttpHeaders headers, WebRequest request) {
        return handleExceptionInternal(ex, ProblemDetail.forStatusAndDetail(status, detail), headers, status, request);
    }
}
