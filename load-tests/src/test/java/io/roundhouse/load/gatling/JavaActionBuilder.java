package io.roundhouse.load.gatling;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import java.util.function.BiFunction;

/** Lets a {@link JavaAction} be used in the Java DSL: {@code exec(new JavaActionBuilder(...))}. */
public final class JavaActionBuilder implements ActionBuilder {

  private final BiFunction<ScenarioContext, Action, Action> factory;

  /**
   * @param factory called once per scenario when Gatling builds its chain of actions, with the
   *     action that follows
   */
  public JavaActionBuilder(BiFunction<ScenarioContext, Action, Action> factory) {
    this.factory = factory;
  }

  @Override
  public io.gatling.core.action.builder.ActionBuilder asScala() {
    return factory::apply;
  }
}
