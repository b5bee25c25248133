import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns bench/run.sh's raw result lines into the markdown table of bench/results/latest.md. Run with the
 * JDK's source launcher: {@code java bench/Report.java RESULTS CLK_TCK EVENTS MODE MACHINE}.
 *
 * <p>Result lines are {@code NAME TARGET FIELDS...}; several lines with the same name and target are
 * repetitions, shown as ranges. Ratios against nginx and the targets use the mean of the repetitions;
 * added latency is the target's percentile minus the direct call's in the same repetition.
 */
public final class Report {
  static final List<String> TARGETS = List.of("direct", "nginx", "gateway");
  static final Map<String, List<double[]>> rows = new LinkedHashMap<>();
  static double tck;
  static int events;

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    tck = Double.parseDouble(args[1]);
    events = Integer.parseInt(args[2]);
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        continue;
      }
      double[] v = new double[f.length - 2];
      for (int i = 2; i < f.length; i++) {
        v[i - 2] = Double.parseDouble(f[i]);
      }
      rows.computeIfAbsent(f[0] + " " + f[1], k -> new ArrayList<>()).add(v);
    }
    StringBuilder out = new StringBuilder();
    out.append("# Switchboard vs nginx `proxy_pass` (bench/run.sh")
        .append(args[3].equals("quick") ? " --quick" : "").append(")\n\n");
    out.append(args.length > 4 ? args[4] : "").append(". Everything on 127.0.0.1; ranges are over repetitions.\n\n");

    // wrk lines: requests seconds p50_us p99_us errors cpu_ticks upstream_cpu_ticks
    ToDoubleFunction<double[]> rps = v -> v[0] / v[1];
    ToDoubleFunction<double[]> cpuPerReq = v -> v[0] == 0 ? Double.NaN : v[5] / tck * 1e6 / v[0];
    ToDoubleFunction<double[]> cpuPerEvent = v -> v[0] == 0 ? Double.NaN : v[5] / tck * 1e6 / (v[0] * events);
    out.append("| target | JSON req/s at saturation (32 conns) | CPU µs per JSON request | added latency at 1,000 req/s, p50 / p99 ms"
        + " | added latency at 5,000 req/s, p50 / p99 ms | SSE streams/s (" + events + " events) | CPU µs per SSE event"
        + " | TTFT added, p50 / p99 ms (paced) | inter-event gap added, p50 / p99 ms | errors |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (String t : TARGETS) {
      out.append("| ").append(t.equals("direct") ? "upstream direct (nginx static)" : t.equals("nginx")
          ? "nginx `proxy_pass` (keep-alive pool)" : "Switchboard, features on").append(" | ");
      out.append(range(get("json-sat", t), rps, 0)).append(" | ");
      out.append(range(get("json-sat", t), cpuPerReq, 0)).append(" | ");
      for (String rate : List.of("rate-1000", "rate-5000")) {
        if (t.equals("direct")) {
          out.append(range(get(rate, t), v -> v[2] / 1000, 3)).append(" / ")
              .append(range(get(rate, t), v -> v[3] / 1000, 3)).append(" (absolute; ")
              .append(range(get(rate, t), rps, 0)).append(" req/s) | ");
        } else {
          out.append(added(rate, t, 2)).append(" / ").append(added(rate, t, 3)).append(" (")
              .append(range(get(rate, t), rps, 0)).append(" req/s) | ");
        }
      }
      out.append(range(get("sse-sat", t), rps, 0)).append(" | ");
      out.append(range(get("sse-sat", t), cpuPerEvent, 2)).append(" | ");
      // paced: n errors ttft50 ttft99 gap50 gap99 events
      if (t.equals("direct")) {
        out.append(range(get("paced", t), v -> v[2], 2)).append(" / ").append(range(get("paced", t), v -> v[3], 2))
            .append(" (absolute) | ").append(range(get("paced", t), v -> v[4], 2)).append(" / ")
            .append(range(get("paced", t), v -> v[5], 2)).append(" (absolute) | ");
      } else {
        out.append(addedPaced(t, 2)).append(" / ").append(addedPaced(t, 3)).append(" | ")
            .append(addedPaced(t, 4)).append(" / ").append(addedPaced(t, 5)).append(" | ");
      }
      double errors = 0;
      for (String name : List.of("json-sat", "rate-1000", "rate-5000", "sse-sat")) {
        for (double[] v : get(name, t)) {
          errors += v[4];
        }
      }
      for (double[] v : get("paced", t)) {
        errors += v[1];
      }
      out.append(fmt(errors, 0)).append(" |\n");
    }

    out.append("\n| target | concurrent paced streams | streams completed | errors | stream p99 ms | peak RSS MB (JSON runs / whole run) | start-up to ready, ms (CPU ms) |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (String t : List.of("nginx", "gateway")) {
      // concurrent: conc requests seconds p50 p99 errors cpu upcpu
      List<double[]> c = get("concurrent", t);
      out.append("| ").append(t).append(" | ").append(range(c, v -> v[0], 0)).append(" | ")
          .append(range(c, v -> v[1], 0)).append(" | ").append(range(c, v -> v[5], 0)).append(" | ")
          .append(range(c, v -> v[4] / 1000, 0)).append(" | ");
      if (t.equals("gateway")) {
        out.append(range(get("rss-json", t), v -> v[0], 0)).append(" / ").append(range(get("rss-all", t), v -> v[0], 0))
            .append(" | ").append(list(get("startup", t))).append(" |\n");
      } else {
        out.append("– | – |\n");
      }
    }

    out.append("\n## Targets (Switchboard with features on, against nginx from this run)\n\n");
    out.append("| target | measured | met |\n|---|---|---|\n");
    double cpuRatio = mean(get("json-sat", "gateway"), cpuPerReq) / mean(get("json-sat", "nginx"), cpuPerReq);
    target(out, "CPU per JSON request ≤ 2× nginx", fmt(cpuRatio, 2) + "×", cpuRatio <= 2);
    double rpsRatio = mean(get("json-sat", "gateway"), rps) / mean(get("json-sat", "nginx"), rps);
    target(out, "saturation req/s ≥ 0.7× nginx", fmt(rpsRatio, 2) + "×", rpsRatio >= 0.7);
    double p50 = meanAdded("rate-5000", "gateway", 2);
    double p99 = meanAdded("rate-5000", "gateway", 3);
    target(out, "added latency at 5,000 req/s p50 ≤ 0.15 ms", fmt(p50, 3) + " ms", p50 <= 0.15);
    if (p99 < 0) {
      // The direct call's own p99 was worse than the gateway's: the machine's noise is larger than the effect.
      out.append("| added latency at 5,000 req/s p99 ≤ 0.6 ms | ").append(fmt(p99, 3))
          .append(" ms | inconclusive (negative: noise larger than the effect) |\n");
    } else {
      target(out, "added latency at 5,000 req/s p99 ≤ 0.6 ms", fmt(p99, 3) + " ms", p99 <= 0.6);
    }
    double eventRatio = mean(get("sse-sat", "gateway"), cpuPerEvent) / mean(get("sse-sat", "nginx"), cpuPerEvent);
    target(out, "CPU per forwarded SSE event ≤ 4× nginx", fmt(eventRatio, 2) + "×", eventRatio <= 4);
    double ttft = meanAddedPaced("gateway", 2);
    target(out, "time to first token added ≤ 0.5 ms p50", fmt(ttft, 3) + " ms", ttft <= 0.5);
    // concurrent: conc requests seconds p50 p99 errors ...; a stream that had not ended when the run did is
    // neither an error nor completed, so completions are compared with nginx's in the same run.
    List<double[]> conc = get("concurrent", "gateway");
    List<double[]> concNginx = get("concurrent", "nginx");
    double concN = conc.isEmpty() ? 0 : conc.get(0)[0];
    double concDone = conc.isEmpty() ? 0 : conc.get(0)[1];
    double concErr = conc.isEmpty() ? 1 : conc.get(0)[5];
    double nginxDone = concNginx.isEmpty() ? Double.NaN : concNginx.get(0)[1];
    double rssAll = get("rss-all", "gateway").isEmpty() ? Double.NaN : get("rss-all", "gateway").get(0)[0];
    target(out, "10,000 concurrent paced streams, no errors, peak RSS ≤ 1 GiB",
        fmt(concN, 0) + " streams, " + fmt(concErr, 0) + " errors, " + fmt(concDone, 0) + " completed in the run (nginx "
            + fmt(nginxDone, 0) + "), " + fmt(rssAll, 0) + " MB",
        concN >= 10_000 && concErr == 0 && concDone >= 0.95 * nginxDone && rssAll <= 1024);
    double rssJson = get("rss-json", "gateway").isEmpty() ? Double.NaN : get("rss-json", "gateway").get(0)[0];
    target(out, "peak RSS ≤ 256 MB during the JSON runs", fmt(rssJson, 0) + " MB", rssJson <= 256);
    // body: bytes heldKbBig heldKbSmall requests failed
    List<double[]> body = get("body", "gateway");
    double bodyFailed = body.stream().mapToDouble(v -> v.length > 4 ? v[4] : 0).sum();
    String bodyTarget = "a 400 KB request body held as ≤ 4× its size while in flight";
    if (bodyFailed > 0) {
      target(out, bodyTarget, fmt(bodyFailed, 0) + " of the requests were not answered 200", false);
    } else if (body.isEmpty()) {
      target(out, bodyTarget, "not measured in this run", false);
    } else {
      double worst = 0;
      for (double[] v : body) {
        worst = Math.max(worst, (v[1] - v[2]) * 1024 / v[3] / v[0]);
      }
      target(out, bodyTarget, fmt(worst, 2) + "× (" + fmt(body.get(0)[0] / 1024, 0) + " KB body, " + fmt(body.get(0)[3], 0)
              + " at once, heap after a full GC, worst of " + body.size() + ")", worst <= 4);
    }
    double startup = min(get("startup", "gateway"));
    target(out, "ready ≤ 1 s after start", fmt(startup, 0) + " ms (best of " + get("startup", "gateway").size() + ")",
        startup <= 1000);
    System.out.print(out);
  }

  static void target(StringBuilder out, String name, String measured, boolean met) {
    out.append("| ").append(name).append(" | ").append(measured).append(" | ").append(met ? "met" : "not met")
        .append(" |\n");
  }

  static List<double[]> get(String name, String target) {
    return rows.getOrDefault(name + " " + target, List.of());
  }

  static String added(String rate, String t, int field) {
    List<double[]> mine = get(rate, t);
    List<double[]> direct = get(rate, "direct");
    List<double[]> diffs = new ArrayList<>();
    for (int i = 0; i < Math.min(mine.size(), direct.size()); i++) {
      diffs.add(new double[] {(mine.get(i)[field] - direct.get(i)[field]) / 1000});
    }
    return range(diffs, v -> v[0], 3);
  }

  static double meanAdded(String rate, String t, int field) {
    List<double[]> mine = get(rate, t);
    List<double[]> direct = get(rate, "direct");
    double sum = 0;
    int n = Math.min(mine.size(), direct.size());
    for (int i = 0; i < n; i++) {
      sum += (mine.get(i)[field] - direct.get(i)[field]) / 1000;
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  static String addedPaced(String t, int field) {
    List<double[]> mine = get("paced", t);
    List<double[]> direct = get("paced", "direct");
    List<double[]> diffs = new ArrayList<>();
    for (int i = 0; i < Math.min(mine.size(), direct.size()); i++) {
      diffs.add(new double[] {mine.get(i)[field] - direct.get(i)[field]});
    }
    return range(diffs, v -> v[0], 3);
  }

  static double meanAddedPaced(String t, int field) {
    List<double[]> mine = get("paced", t);
    List<double[]> direct = get("paced", "direct");
    double sum = 0;
    int n = Math.min(mine.size(), direct.size());
    for (int i = 0; i < n; i++) {
      sum += mine.get(i)[field] - direct.get(i)[field];
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  static String range(List<double[]> rows, ToDoubleFunction<double[]> f, int digits) {
    if (rows.isEmpty()) {
      return "–";
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] v : rows) {
      double x = f.applyAsDouble(v);
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return fmt(lo, digits).equals(fmt(hi, digits)) ? fmt(lo, digits) : fmt(lo, digits) + " – " + fmt(hi, digits);
  }

  static double mean(List<double[]> rows, ToDoubleFunction<double[]> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  static double min(List<double[]> rows) {
    return rows.stream().mapToDouble(v -> v[0]).min().orElse(Double.NaN);
  }

  static String list(List<double[]> rows) {
    StringBuilder s = new StringBuilder();
    for (double[] v : rows) {
      s.append(s.isEmpty() ? "" : ", ").append(fmt(v[0], 0));
      if (v.length > 1) {
        s.append(" (").append(fmt(v[1], 0)).append(')');
      }
    }
    return s.toString();
  }

  static String fmt(double x, int digits) {
    if (Double.isNaN(x)) {
      return "–";
    }
    if (digits == 0) {
      return String.format("%,.0f", x);
    }
    return String.format("%,." + digits + "f", x);
  }
}
