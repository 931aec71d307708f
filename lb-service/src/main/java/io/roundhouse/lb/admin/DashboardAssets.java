package io.roundhouse.lb.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The dashboard's files, all from the classpath so the page works offline and from the shaded jar:
 * the page itself from {@code webroot/}, and uPlot from its WebJar under a version-free path,
 * {@code /vendor/uplot/}. The WebJar's version comes from {@code dashboard.properties}, which the
 * build fills in from the pom, so upgrading uPlot is a one-line pom change.
 */
final class DashboardAssets {

  static final String UPLOT_PATH = "/vendor/uplot/";

  private static final String UPLOT_ROOT =
      "META-INF/resources/webjars/uplot/" + version("uplot.version") + "/dist";

  private DashboardAssets() {}

  /** Mounts the files; call after the API routes, since the page takes every other GET. */
  static void mount(Router router) {
    router.get(UPLOT_PATH + "*").handler(StaticHandler.create(UPLOT_ROOT).setMaxAgeSeconds(3600));
    router.get("/*").handler(StaticHandler.create("webroot").setMaxAgeSeconds(60));
  }

  private static String version(String key) {
    try (InputStream in =
        DashboardAssets.class.getClassLoader().getResourceAsStream("dashboard.properties")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.properties is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      String value = properties.getProperty(key);
      if (value == null || value.isBlank() || value.startsWith("${")) {
        throw new IllegalStateException("dashboard.properties has no resolved " + key);
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
