package io.roundhouse.deploy.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Parses multi-document YAML into the fabric8 Kubernetes model, strictly: a kind the model does not
 * know (fabric8 falls back to {@link GenericKubernetesResource}), a field it does not know (kept in
 * an {@code additionalProperties} map somewhere in the object graph) and a value of the wrong type
 * (including a number or boolean where Kubernetes wants a string, which Jackson would quietly turn
 * into one) are all errors.
 */
public final class StrictManifests {

  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");

  private static final KubernetesSerialization SERIALIZATION =
      new KubernetesSerialization(strictMapper(), true);

  private StrictManifests() {}

  private static ObjectMapper strictMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // The API server takes no string for a number or boolean, nor a number or boolean for a string
    // (an unquoted `value: 5801` in an env entry, `prometheus.io/scrape: true`).
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }

  /**
   * Every document of {@code yaml} as a typed model object.
   *
   * @param source names the input in error messages
   * @throws IllegalArgumentException listing every problem found
   */
  public static List<HasMetadata> parse(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int index = 0;
    for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
        continue;
      }
      index++;
      String where = source + " document " + index + " (" + describe(doc) + ")";
      Object parsed;
      try {
        parsed = SERIALIZATION.unmarshal(doc);
      } catch (RuntimeException e) {
        problems.add(where + ": does not fit the Kubernetes model: " + firstLine(e.getMessage()));
        continue;
      }
      if (parsed instanceof GenericKubernetesResource generic) {
        problems.add(
            where
                + ": unknown kind "
                + generic.getKind()
                + " in "
                + generic.getApiVersion()
                + " (not in the fabric8 model: a typo, or an API version the server no longer"
                + " serves)");
        continue;
      }
      if (!(parsed instanceof HasMetadata object)) {
        problems.add(where + ": not a Kubernetes object but " + parsed);
        continue;
      }
      for (String field : UnknownFields.find(object)) {
        problems.add(where + ": unknown field " + field);
      }
      objects.add(object);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return objects;
  }

  private static String describe(String doc) {
    try {
      if (new Yaml().load(doc) instanceof Map<?, ?> map) {
        Object metadata = map.get("metadata");
        Object name = metadata instanceof Map<?, ?> m ? m.get("name") : null;
        return map.get("kind") + "/" + name;
      }
    } catch (RuntimeException e) {
      return "not YAML: " + firstLine(e.getMessage());
    }
    return "?";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    // Jackson's message names the field by its reference chain on the second line.
    return message.replace("\n", " ");
  }
}
