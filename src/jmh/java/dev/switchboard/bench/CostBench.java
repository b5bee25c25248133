package dev.switchboard.bench;

import dev.switchboard.accounting.CostCalculator;
import dev.switchboard.core.Pricing;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The exact (BigDecimal) cost of one request's usage at an endpoint's prices. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CostBench {
  private Pricing pricing;
  private Usage usage;

  @Setup
  public void setUp() {
    pricing = Pricing.of(new BigDecimal("0.0000025"), new BigDecimal("0.00001"));
    usage = Usage.of(1_234, 567);
  }

  @Benchmark
  public BigDecimal cost() {
    return CostCalculator.cost(pricing, usage, 0);
  }
}
