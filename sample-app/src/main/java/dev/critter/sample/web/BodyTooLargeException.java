package dev.critter.sample.web;

import java.io.IOException;

/** Reading a request body went past {@link RequestSizeLimit#MAX_BODY_BYTES}. */
class BodyTooLargeException extends IOException {

    BodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
