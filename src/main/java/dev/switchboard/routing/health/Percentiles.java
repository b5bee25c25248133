package dev.switchboard.routing.health;

/** p50, p75, p90 and p99 of a distribution, as OpenRouter's endpoint statistics give them. */
public record Percentiles(double p50, double p75, double p90, double p99) {}
