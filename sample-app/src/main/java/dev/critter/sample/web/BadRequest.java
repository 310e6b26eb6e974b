package dev.critter.sample.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** Checks of request values; a failed one answers 400 with a ProblemDetail naming the value's rule. */
public final class BadRequest {

    private BadRequest() {
    }

    /**
     * @param name the field or parameter, e.g. {@code quantity}
     * @param value its value
     * @param min the smallest allowed
     * @param max the largest allowed
     * @return the value
     * @throws ResponseStatusException 400 when it is out of bounds
     */
    public static int requireBetween(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw because(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /** @param detail what is wrong @return a 400 whose ProblemDetail says so */
    public static ResponseStatusException because(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }
}
