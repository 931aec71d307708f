package io.roundhouse.deploy.k8s;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the fields the fabric8 model did not know: Jackson puts them into the {@code
 * additionalProperties} map every model object carries, at any depth. The walk follows the model's
 * {@link JsonProperty} fields, so the paths it reports read like the YAML ({@code
 * spec.template.spec.containers[0].livenesProbe}).
 */
public final class UnknownFields {

  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private UnknownFields() {}

  public static List<String> find(Object root) {
    List<String> found = new ArrayList<>();
    walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
    return found;
  }

  private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
    if (value == null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found, seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "[" + k + "]", found, seen));
      return;
    }
    if (!value.getClass().getName().startsWith(MODEL_PACKAGE) || !seen.add(value)) {
      return;
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        Object fieldValue = read(field, value);
        if (field.getName().equals("additionalProperties")) {
          if (fieldValue instanceof Map<?, ?> extra) {
            extra.keySet().forEach(k -> found.add(join(path, String.valueOf(k))));
          }
          continue;
        }
        JsonProperty property = field.getAnnotation(JsonProperty.class);
        if (property != null) {
          String name = property.value().isEmpty() ? field.getName() : property.value();
          walk(fieldValue, join(path, name), found, seen);
        }
      }
    }
  }

  private static Object read(Field field, Object owner) {
    try {
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read " + field + " of the fabric8 model", e);
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
