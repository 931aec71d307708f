package io.roundhouse.load.gatling;

import io.gatling.core.session.Session;
import java.util.function.Consumer;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/** Session attributes that hold a socket, closed when the virtual user ends, however it ends. */
public final class Sessions {

  private Sessions() {}

  /** The attribute {@code key}, or null. */
  @SuppressWarnings("unchecked")
  public static <T> T get(Session session, String key) {
    scala.Option<Object> value = session.attributes().get(key);
    return value.isDefined() ? (T) value.get() : null;
  }

  /**
   * Stores {@code value} under {@code key}; the user's end hands what is then stored to {@code
   * close}.
   */
  public static <T> Session setClosedOnExit(
      Session session, String key, T value, Consumer<T> close) {
    Session with = session.set(key, value);
    scala.Function1<Session, BoxedUnit> onExit = with.onExit();
    return with.copy(
        with.scenario(),
        with.userId(),
        with.attributes(),
        with.baseStatus(),
        with.blockStack(),
        new AbstractFunction1<Session, BoxedUnit>() {
          @Override
          public BoxedUnit apply(Session s) {
            T held = get(s, key);
            if (held != null) {
              close.accept(held);
            }
            return onExit.apply(s);
          }
        },
        with.eventLoop());
  }
}
