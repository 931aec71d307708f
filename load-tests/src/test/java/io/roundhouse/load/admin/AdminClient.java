package io.roundhouse.load.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The balancer's admin API, over the JDK's HTTP client (no proxy: it is on loopback). */
public final class AdminClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI nodesUri;
  private final URI rebalanceUri;
  private final HttpClient client;

  public AdminClient(String baseUrl) {
    this.nodesUri = URI.create(baseUrl.replaceAll("/+$", "") + "/api/nodes");
    this.rebalanceUri = URI.create(baseUrl.replaceAll("/+$", "") + "/api/rebalance");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .proxy(HttpClient.Builder.NO_PROXY)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public URI nodesUri() {
    return nodesUri;
  }

  /** {@code GET /api/nodes}; fails on anything but a 200 with the expected JSON. */
  public NodesSnapshot nodes() throws IOException, InterruptedException {
    return NodesSnapshot.parse(get(nodesUri));
  }

  /** {@code GET /api/rebalance}: the rebalancer's settings and its most moves in one second. */
  public RebalanceStatus rebalance() throws IOException, InterruptedException {
    return RebalanceStatus.parse(get(rebalanceUri));
  }

  private String get(URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException(
          "admin API " + uri + " did not answer: " + e.getMessage() + " (is the balancer up?)", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "admin API " + uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }
}
