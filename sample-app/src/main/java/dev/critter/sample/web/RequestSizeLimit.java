package dev.critter.sample.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds request bodies: the sample's JSON bodies are a few dozen bytes, so anything above 4 KiB
 * is refused with 413 before it is read (by its Content-Length) or while it is read (a chunked
 * body without a length), instead of being buffered whole.
 */
@Component
class RequestSizeLimit extends OncePerRequestFilter {

    static final int MAX_BODY_BYTES = 4 * 1024;

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            // Written as bytes: JSON is UTF-8 and needs no charset parameter.
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Content Too Large\","
                    + "\"status\":413,\"detail\":\"the request body is larger than " + MAX_BODY_BYTES + " bytes\","
                    + "\"instance\":\"" + request.getRequestURI().replaceAll("[^A-Za-z0-9/_.-]", "") + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(new Bounded(request), response);
    }

    /** Counts what the handler reads and stops at the limit. */
    private static final class Bounded extends HttpServletRequestWrapper {

        private ServletInputStream stream;

        Bounded(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream());
            }
            return stream;
        }
    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;
        private long read;

        CountingStream(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > MAX_BODY_BYTES) {
                throw new BodyTooLargeException(MAX_BODY_BYTES);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
