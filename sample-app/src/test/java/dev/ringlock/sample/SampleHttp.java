package dev.ringlock.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;

/**
 * A plain HTTP client for one running sample instance, as any client of the app would call it.
 */
final class SampleHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String baseUrl;

    SampleHttp(int port) {
        this.baseUrl = "http://localhost:" + port;
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Answer post(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(TIMEOUT).header("Accept", "application/json, text/html")
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + baseUrl, ex);
        }
    }

    /** One response: its status and body, with JSON paths read from the body. */
    record Answer(int status, String body) {

        <T> T read(String jsonPath) {
            return JsonPath.read(body, jsonPath);
        }

        long readLong(String jsonPath) {
            return this.<Number>read(jsonPath).longValue();
        }

        double readDouble(String jsonPath) {
            return this.<Number>read(jsonPath).doubleValue();
        }
    }
}
