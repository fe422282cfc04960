package io.edgegateway.loadtest.probe;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many made-up extension methods (RFC 9110 tokens), each on its own connection: which statuses came
 * back, and (through the upstream view) how many reached the upstream unchanged. The methods come
 * from a fixed seed, so every run and every target gets the same ones.
 */
final class MethodSpray {

    private static final String TCHAR = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int PARALLEL = 8;

    private MethodSpray() {
    }

    /**
     * {@code count} distinct tokens of 3 to 12 chars, none a method of RFC 9110: every other one of
     * capital letters only (the methods a strict parser still takes), the rest of any tchar.
     */
    static List<String> methods(int count, long seed) {
        Random random = new Random(seed);
        List<String> methods = new ArrayList<>(count);
        List<String> standard = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
        while (methods.size() < count) {
            StringBuilder token = new StringBuilder();
            int length = 3 + random.nextInt(10);
            boolean capitals = methods.size() % 2 == 0;
            for (int i = 0; i < length; i++) {
                token.append(capitals ? (char) ('A' + random.nextInt(26)) : TCHAR.charAt(random.nextInt(TCHAR.length())));
            }
            String method = token.toString();
            if (!standard.contains(method) && !methods.contains(method) && !method.contains("$ID")) {
                methods.add(method);
            }
        }
        return methods;
    }

    static ClientOutcome run(ProbeTarget target, String probeId, List<String> methods)
            throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, runnable -> {
            Thread thread = new Thread(runnable, "probe-methods");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<ClientOutcome>> outcomes = new ArrayList<>();
            for (String method : methods) {
                String request = HostileRequests.head(method + " /pub/method HTTP/1.1");
                outcomes.add(pool.submit(() -> RawExchange.run(target, HostileRequests.bytes(request, probeId), 1)));
            }
            Map<String, Integer> byStatus = new TreeMap<>();
            List<Integer> statuses = new ArrayList<>();
            int closed = 0;
            for (Future<ClientOutcome> future : outcomes) {
                ClientOutcome outcome;
                try {
                    outcome = future.get();
                } catch (ExecutionException e) {
                    byStatus.merge("error", 1, Integer::sum);
                    continue;
                }
                statuses.addAll(outcome.statuses());
                byStatus.merge(outcome.statuses().isEmpty() ? "none" : String.valueOf(outcome.statuses().get(0)), 1,
                        Integer::sum);
                closed += outcome.closed() ? 1 : 0;
            }
            StringBuilder text = new StringBuilder();
            byStatus.forEach((status, n) -> text.append(text.isEmpty() ? "" : " ").append(status).append("×").append(n));
            text.append("; ").append(closed).append(" of ").append(methods.size()).append(" connections closed");
            return new ClientOutcome(text.toString(), closed == methods.size(), statuses);
        } finally {
            pool.shutdownNow();
        }
    }
}
