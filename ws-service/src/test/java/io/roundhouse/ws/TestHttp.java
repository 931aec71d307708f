package io.roundhouse.ws;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** Plain HTTP requests to 127.0.0.1 for tests. */
final class TestHttp {

  private TestHttp() {}

  record Response(int status, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static Response get(Vertx vertx, int port, String path) throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      return http.request(HttpMethod.GET, port, "127.0.0.1", path)
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString())))
          .await(TestSocket.WAIT_SECONDS, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }
}
