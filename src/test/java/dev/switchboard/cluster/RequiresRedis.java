package dev.switchboard.cluster;

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
 * Marks a test class that needs the Redis server of {@link TestRedis}. The same rule as {@code
 * store.RequiresPostgres}: with {@code CI=true} such tests always run (an unreachable server fails
 * them); elsewhere they are skipped with a message saying how to get one.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresRedis.Condition.class)
public @interface RequiresRedis {

  /** Decides per class; the server is probed once per test run. */
  final class Condition implements ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RequiresRedis.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        return ConditionEvaluationResult.enabled("CI=true: Redis tests never skip");
      }
      @SuppressWarnings("unchecked")
      Optional<String> problem = context.getRoot().getStore(NAMESPACE)
          .getOrComputeIfAbsent("problem", key -> probe(), Optional.class);
      return problem
          .map(why -> ConditionEvaluationResult.disabled("Redis is not reachable (" + why
              + "); start one (README: Development) or set " + TestRedis.URL_VARIABLE
              + ". In CI this is a failure, not a skip."))
          .orElseGet(() -> ConditionEvaluationResult.enabled("Redis is reachable"));
    }

    private static Optional<String> probe() {
      Optional<String> problem = TestRedis.problem();
      problem.ifPresent(why -> System.err.println("Redis tests are SKIPPED: the server is not reachable (" + why
          + "). See README, Development, or set " + TestRedis.URL_VARIABLE + "."));
      return problem;
    }
  }
}
