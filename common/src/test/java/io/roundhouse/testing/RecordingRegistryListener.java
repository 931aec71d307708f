package io.roundhouse.testing;

import io.roundhouse.registry.RegistryListener;
import io.roundhouse.registry.ServiceInstance;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every registry notification, and the context it arrived on, for later assertions. */
public final class RecordingRegistryListener implements RegistryListener {

  /** One notification. */
  public sealed interface Event permits Up, Down {
    String id();

    /** The Vert.x context the listener was called on, or null when called off any context. */
    Context context();
  }

  public record Up(ServiceInstance instance, Context context) implements Event {
    @Override
    public String id() {
      return instance.id();
    }

    @Override
    public String toString() {
      return "Up(" + instance + ")";
    }
  }

  public record Down(String id, Context context) implements Event {
    @Override
    public String toString() {
      return "Down(" + id + ")";
    }
  }

  private final List<Event> events = new CopyOnWriteArrayList<>();

  @Override
  public void instanceUp(ServiceInstance instance) {
    events.add(new Up(instance, Vertx.currentContext()));
  }

  @Override
  public void instanceDown(String id) {
    events.add(new Down(id, Vertx.currentContext()));
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<Event> eventsFor(String id) {
    return events.stream().filter(e -> e.id().equals(id)).toList();
  }

  /** The instances up according to the notifications so far. */
  public Map<String, ServiceInstance> live() {
    Map<String, ServiceInstance> live = new HashMap<>();
    for (Event e : events) {
      if (e instanceof Up up) {
        live.put(up.id(), up.instance());
      } else {
        live.remove(e.id());
      }
    }
    return live;
  }

  public Optional<ServiceInstance> live(String id) {
    return Optional.ofNullable(live().get(id));
  }

  public long downs(String id) {
    return events.stream().filter(e -> e instanceof Down && e.id().equals(id)).count();
  }

  @Override
  public String toString() {
    return events.toString();
  }
}
