package io.roundhouse.net;

import io.vertx.core.net.NetSocket;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A real socket seen only through the public {@link NetSocket} interface, as a stream over another
 * protocol is (the HTTP client's upgraded connection): no Netty channel, no raw messages, no
 * half-closure.
 */
final class PlainStream {

  private PlainStream() {}

  static NetSocket of(NetSocket socket) {
    return (NetSocket)
        Proxy.newProxyInstance(
            NetSocket.class.getClassLoader(),
            new Class<?>[] {NetSocket.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(socket, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
