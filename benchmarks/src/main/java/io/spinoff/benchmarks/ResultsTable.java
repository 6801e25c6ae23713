package io.spinoff.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH CSV result file and the output of {@link HeapPerActor} into the Markdown table of
 * {@code BENCHMARKS.md}: each benchmark's Spinoff and Pekko scores side by side, with the ratio
 * (higher is better for Spinoff: throughput ratios are Spinoff/Pekko, latency and heap ratios
 * Pekko/Spinoff) and, for tell throughput, the ratio to the enqueue ceiling ({@link QueueCeiling}). The remote
 * benchmarks ({@link RemoteBenchmarks}) get a second table of their own.
 */
public final class ResultsTable {

    private ResultsTable() {}

    private record Score(double value, double error, String unit) {}

    /**
     * @param args the JMH CSV file, then the heap output file
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ResultsTable JMH_CSV HEAP_OUTPUT");
            System.exit(2);
        }
        Map<String, Score> scores = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = csv(line);
            String name = cells.get(0).substring(cells.get(0).lastIndexOf('.') + 1);
            // Each @Param has its own column after the seventh; a benchmark fills only its own.
            String param = cells.subList(Math.min(7, cells.size()), cells.size()).stream()
                    .filter(cell -> !cell.isEmpty()).reduce((a, b) -> a + "," + b).orElse("");
            String key = param.isEmpty() ? name : name + "(" + param + ")";
            scores.put(key, new Score(parse(cells.get(4)), parse(cells.get(5)), cells.get(6)));
        }
        Map<String, Double> heap = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 5 && line.contains("bytes per actor")) {
                heap.put(words[0], Double.parseDouble(words[words.length - 4]));
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| benchmark | Spinoff | Pekko | Spinoff vs Pekko | target |\n");
        table.append("|---|---|---|---|---|\n");
        row(table, scores, "ping-pong, 1 pair (msg/s)", "pingPongSpinoff(1)", "pingPongPekko(1)", true, "≥ 1.2×");
        row(table, scores, "ping-pong, 8 pairs (msg/s)", "pingPongSpinoff(8)", "pingPongPekko(8)", true, "≥ 1.2×");
        row(table, scores, "tell, 1 sender → 1 actor (msg/s)", "tellSpinoff", "tellPekko", true, "≥ 1.2×");
        row(table, scores, "ask round trip (µs/op, lower is better)", "askSpinoff", "askPekko", false, "≥ 1.0×");
        row(table, scores, "spawn + stop (actors/s)", "spawnStopSpinoff", "spawnStopPekko", true, "≥ 1.0×");
        if (heap.containsKey("spinoff") && heap.containsKey("pekko")) {
            table.append(String.format(Locale.ROOT, "| retained heap per idle actor (bytes, lower is better) | %.0f | %.0f | %.2f× | ≥ 1.0× |%n",
                    heap.get("spinoff"), heap.get("pekko"), heap.get("pekko") / heap.get("spinoff")));
        }
        Score ceiling = scores.get("enqueue");
        Score tell = scores.get("tellSpinoff");
        if (ceiling != null && tell != null) {
            table.append(String.format(Locale.ROOT, "%n| ceiling: one thread offering into a mailbox's queue, nothing consuming (msg/s) | %s |%n|---|---|%n"
                            + "| Spinoff tell as a share of the ceiling (at most 1; target ≥ 0.50) | %.2f |%n",
                    format(ceiling), tell.value() / ceiling.value()));
        }
        boolean header = false;
        for (String how : List.of("await", "receive")) {
            Score empty = scores.get("processAsk(" + how + ",0)");
            Score crowded = scores.get("processAsk(" + how + ",10000)");
            if (empty == null || crowded == null) {
                continue;
            }
            if (!header) {
                table.append(String.format(Locale.ROOT, "%n| request round trip from a process (µs/op) | mailbox empty | 10,000 unrelated messages queued | ratio (target ≤ 1.20) |%n|---|---|---|---|%n"));
                header = true;
            }
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f |%n",
                    how.equals("await") ? "ask, awaited" : "reply taken by receive after a mark",
                    format(empty), format(crowded), crowded.value() / empty.value()));
        }
        if (find(scores, "remoteTellSpinoff") != null || find(scores, "remoteAskSpinoff") != null) {
            table.append(String.format(Locale.ROOT, "%n**Remote, two JVMs on loopback** (Spinoff over ZeroMQ, Pekko over Artery TCP)%n%n"));
            table.append("| benchmark | Spinoff | Pekko | Spinoff vs Pekko | target |\n");
            table.append("|---|---|---|---|---|\n");
            row(table, scores, "remote tell, 1 sender → 1 actor, 100-byte payload (msg/s)", "remoteTellSpinoff",
                    "remoteTellPekko", true, "≥ 1.5×");
            row(table, scores, "remote ask round trip (µs/op, lower is better)", "remoteAskSpinoff", "remoteAskPekko",
                    false, "≥ 1.0×");
        }
        System.out.print(table);
    }

    private static void row(StringBuilder table, Map<String, Score> scores, String label, String spinoffKey,
            String pekkoKey, boolean higherIsBetter, String target) {
        Score spinoff = find(scores, spinoffKey);
        Score pekko = find(scores, pekkoKey);
        if (spinoff == null || pekko == null) {
            return;
        }
        double ratio = higherIsBetter ? spinoff.value() / pekko.value() : pekko.value() / spinoff.value();
        table.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f× | %s |%n", label, format(spinoff),
                format(pekko), ratio, target));
    }

    /**
     * @return the score of {@code key}, or of the one benchmark run under that name with
     *     parameters (the remote ones run with a single setting of each in this table); null if
     *     none or several
     */
    private static Score find(Map<String, Score> scores, String key) {
        Score exact = scores.get(key);
        if (exact != null) {
            return exact;
        }
        List<Score> withParams = scores.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(key + "("))
                .map(Map.Entry::getValue).toList();
        return withParams.size() == 1 ? withParams.get(0) : null;
    }

    private static String format(Score score) {
        double v = score.value();
        String value = v >= 1e6 ? String.format(Locale.ROOT, "%.2f M", v / 1e6)
                : v >= 1e3 ? String.format(Locale.ROOT, "%.1f k", v / 1e3) : String.format(Locale.ROOT, "%.2f", v);
        String error = Double.isNaN(score.error()) ? "" : v >= 1e6 ? String.format(Locale.ROOT, " ± %.2f M", score.error() / 1e6)
                : v >= 1e3 ? String.format(Locale.ROOT, " ± %.1f k", score.error() / 1e3) : String.format(Locale.ROOT, " ± %.2f", score.error());
        return value + error;
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text.replace(',', '.'));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
