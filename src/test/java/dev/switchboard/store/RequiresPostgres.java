package dev.switchboard.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that needs the PostgreSQL server of {@link TestPostgres}.
 *
 * <p>In CI ({@code CI=true}) such tests always run, so an unreachable server fails them: a green
 * build must have exercised PostgreSQL. Elsewhere, when the server cannot be reached, they are
 * skipped with a message saying how to get one, so a developer without PostgreSQL can still run
 * the suite.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

  /** Decides per class; the server is probed once per test run. */
  final class Condition implements ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(RequiresPostgres.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        return ConditionEvaluationResult.enabled("CI=true: PostgreSQL tests never skip");
      }
      @SuppressWarnings("unchecked")
      Optional<String> problem =
          context
              .getRoot()
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent("problem", key -> probe(), Optional.class);
      return problem
          .map(
              why ->
                  ConditionEvaluationResult.disabled(
                      "PostgreSQL is not reachable ("
                          + why
                          + "); start one (README: Development) or set "
                          + TestPostgres.URL_VARIABLE
                          + ". In CI this is a failure, not a skip."))
          .orElseGet(() -> ConditionEvaluationResult.enabled("PostgreSQL is reachable"));
    }

    /** Probes the server and, once per run, says on stderr why the PostgreSQL tests are skipped. */
    private static Optional<String> probe() {
      Optional<String> problem = TestPostgres.problem();
      problem.ifPresent(
          why ->
              System.err.println(
                  "PostgreSQL tests are SKIPPED: the server is not reachable ("
                      + why
                      + "). See README, Development, or set "
                      + TestPostgres.URL_VARIABLE
                      + "."));
      return problem;
    }
  }
}
