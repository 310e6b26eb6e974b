package dev.critter.sample;

import org.springframework.web.client.RestClient;

/** HTTP clients of the sample running on a random port ({@link SampleAppTest}). */
final class SampleHttp {

    private SampleHttp() {
    }

    /**
     * Returns a client of the sample that hands back every response, errors included, instead of
     * throwing: the tests assert on the status and the problem detail.
     * @param port the sample's port
     * @return the client
     */
    static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }
}
