package io.roundhouse.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Reading docker-compose.yml and its neighbours as plain YAML maps, for the tests. */
final class ComposeYaml {

  private ComposeYaml() {}

  static Map<String, Object> yaml(Path file) {
    assertThat(file).isRegularFile();
    Object loaded = new Yaml().load(ContainerServices.read(file));
    assertThat(loaded).as("%s holds a mapping", file).isInstanceOf(Map.class);
    return map(loaded);
  }

  static Map<String, Map<String, Object>> services(Map<String, Object> file) {
    Map<String, Map<String, Object>> out = new HashMap<>();
    map(file.get("services")).forEach((k, v) -> out.put(k, map(v)));
    return out;
  }

  /** A service's environment in either compose form, values as strings. */
  static Map<String, String> environment(Map<String, Object> service) {
    Object env = service.get("environment");
    Map<String, String> out = new HashMap<>();
    if (env instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (env instanceof List<?> l) {
      for (Object o : l) {
        String[] kv = String.valueOf(o).split("=", 2);
        out.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o == null ? List.of() : (List<Object>) o;
  }

  static List<String> strings(Object o) {
    return list(o).stream().map(String::valueOf).toList();
  }
}
