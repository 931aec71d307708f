package io.roundhouse.lb;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client over the JDK's HTTP client: one reader thread parses {@code event:}
 * and {@code data:} lines into a queue of JSON events; closing the body hangs up, as a browser tab
 * that closes does.
 */
final class EventStreamClient implements AutoCloseable {

  private final HttpResponse<InputStream> response;
  private final LinkedBlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private final Thread reader;

  private EventStreamClient(HttpResponse<InputStream> response, String eventName) {
    this.response = response;
    this.reader = new Thread(() -> read(eventName), "sse-reader");
    reader.setDaemon(true);
    reader.start();
  }

  static EventStreamClient open(int port, String path, String eventName) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> response =
        client
            .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    return new EventStreamClient(response, eventName);
  }

  HttpResponse<InputStream> response() {
    return response;
  }

  private void read(String eventName) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String event = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (event.equals(eventName) && data.length() > 0) {
            events.add(new JsonObject(data.toString()));
          }
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
    } catch (IOException closed) {
      // the stream ended: closed by us or by the server
    }
  }

  /** The next event that satisfies {@code condition}, skipping others; fails after {@code wait}. */
  JsonObject await(Predicate<JsonObject> condition, Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    JsonObject last = null;
    while (System.nanoTime() < end) {
      JsonObject next = events.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (next != null && condition.test(next)) {
        return next;
      }
      last = next == null ? last : next;
    }
    throw new AssertionError("no matching event within " + wait + "; last: " + last);
  }

  @Override
  public void close() throws IOException {
    response.body().close();
  }
}
