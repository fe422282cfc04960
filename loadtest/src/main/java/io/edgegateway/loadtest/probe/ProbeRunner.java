package io.edgegateway.loadtest.probe;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs the catalogue against one target: the slow probes in the background from the start (they
 * take real time and have connections of their own), the others one after the other; then matches
 * what the upstream recorded to each probe by its id.
 */
final class ProbeRunner {

    /** How long after the last probe the upstream's records are read, for requests still in flight. */
    private static final long SETTLE_MILLIS = 1_000;

    private final ProbeTarget target;
    private final String runId;
    private final Optional<Supplier<List<UpstreamRecord>>> upstream;
    private final PrintStream out;

    /** @param upstream what the recording upstream holds, read once at the end; empty when not observed */
    ProbeRunner(ProbeTarget target, String runId, Optional<Supplier<List<UpstreamRecord>>> upstream,
            PrintStream out) {
        this.target = target;
        this.runId = runId;
        this.upstream = upstream;
        this.out = out;
    }

    List<ProbeResult> run(List<Probe> probes, Set<String> skipped) throws InterruptedException {
        List<Probe> chosen = probes.stream().filter(p -> !skipped.contains(p.group()))
                .filter(p -> !p.group().equals("h2") || target.h2Port() > 0).toList();
        Map<Probe, CompletableFuture<ClientOutcome>> outcomes = new LinkedHashMap<>();
        Map<Probe, Long> starts = new LinkedHashMap<>();
        for (Probe probe : chosen) {
            if (ProbeCatalogue.BACKGROUND_GROUPS.contains(probe.group())) {
                starts.put(probe, System.currentTimeMillis());
                outcomes.put(probe, CompletableFuture.supplyAsync(() -> runOne(probe, idOf(chosen, probe)),
                        ProbeThreads.named("probe-" + probe.group())));
            }
        }
        for (Probe probe : chosen) {
            if (!outcomes.containsKey(probe)) {
                starts.put(probe, System.currentTimeMillis());
                outcomes.put(probe, CompletableFuture.completedFuture(runOne(probe, idOf(chosen, probe))));
            }
        }
        for (CompletableFuture<ClientOutcome> outcome : outcomes.values()) {
            outcome.join();
        }
        Thread.sleep(upstream.isPresent() ? SETTLE_MILLIS : 0);
        List<UpstreamRecord> records = upstream.map(Supplier::get).orElse(List.of());
        List<ProbeResult> results = new ArrayList<>();
        for (Probe probe : chosen) {
            String id = idOf(chosen, probe);
            List<UpstreamRecord> seen = records.stream().filter(r -> r.probeId().equals(id)).toList();
            String cell = upstream.isPresent() ? probe.upstream().describe(seen, starts.get(probe)) : null;
            results.add(new ProbeResult(probe.group(), probe.name(), outcomes.get(probe).join(), cell, seen));
        }
        return results;
    }

    private String idOf(List<Probe> chosen, Probe probe) {
        return runId + "-" + (chosen.indexOf(probe) + 1);
    }

    private ClientOutcome runOne(Probe probe, String id) {
        ClientOutcome outcome;
        try {
            outcome = probe.script().run(target, id);
        } catch (IOException e) {
            outcome = new ClientOutcome("error: " + e, false, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new ClientOutcome("interrupted", false, List.of());
        }
        synchronized (out) {
            out.printf("%-8s %-52s %s%n", probe.group(), probe.name(), outcome.summary());
            out.flush();
        }
        return outcome;
    }
}
