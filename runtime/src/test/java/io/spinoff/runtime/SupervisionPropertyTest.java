package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.cell;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spinoff.runtime.SupervisorStrategy.Directive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random supervision trees and random sequences of increments, failures (resumed or restarted, in
 * bursts) and stops, checked after each step against a model of the tree: which actors exist,
 * each one's restarts since it started, and its state. Every actor supervises one-for-one with
 * the default restart intensity (10 within 10 s), resuming {@link SupFailure.Resumable}; a tree's
 * run takes well under the window, so every restart of a cell counts against it.
 *
 * <p>Seeds are derived from {@code -Dspinoff.test.seed} (default fixed); a failure names its seed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SupervisionPropertyTest {

    private static final int TREES = 30;
    private static final int STEPS = 25;
    private static final int MAX_RESTARTS = SupervisorStrategy.DEFAULT.maxRestarts();
    private static final SupervisorStrategy STRATEGY =
            SupervisorStrategy.DEFAULT.on(SupFailure.Resumable.class, Directive.RESUME);

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    /** The expected state of one live actor. */
    private record Expected(int restarts, int count) {}

    /** The spec tree, flattened: each path's parent (null for top-level) and children in start order. */
    private static final class Shape {
        final Map<String, String> parents = new LinkedHashMap<>();
        final Map<String, List<String>> children = new LinkedHashMap<>();
        final List<SupSpec> tops = new ArrayList<>();
        int names;

        SupSpec grow(Random random, String parentPath, int depth, int[] budget) {
            String name = "n" + names++;
            String path = (parentPath == null ? "/user" : parentPath) + "/" + name;
            parents.put(path, parentPath);
            children.put(path, new ArrayList<>());
            budget[0]--;
            List<SupSpec> mine = new ArrayList<>();
            int wanted = depth >= 3 ? 0 : random.nextInt(4);
            for (int i = 0; i < wanted && budget[0] > 0; i++) {
                SupSpec child = grow(random, path, depth + 1, budget);
                children.get(path).add(path + "/" + child.name());
                mine.add(child);
            }
            return SupSpec.of(name).withStrategy(STRATEGY).withChildren(mine);
        }

        List<String> subtree(String path) {
            List<String> all = new ArrayList<>();
            all.add(path);
            for (String child : children.get(path)) {
                all.addAll(subtree(child));
            }
            return all;
        }
    }

    /** What the tree should look like: live paths with their restarts and state, and each cell's generation. */
    private static final class Model {
        final Shape shape;
        final Map<String, Expected> live = new TreeMap<>();
        final Map<String, Integer> generation = new LinkedHashMap<>();
        long restarts;
        int generations;

        Model(Shape shape) {
            this.shape = shape;
        }

        void start(String path) {
            for (String p : shape.subtree(path)) {
                live.put(p, new Expected(0, 0));
                generation.put(p, ++generations);
            }
        }

        void remove(String path) {
            for (String p : shape.subtree(path)) {
                live.remove(p);
            }
        }

        void increment(String path, int by) {
            Expected e = live.get(path);
            if (e != null) {
                live.put(path, new Expected(e.restarts(), e.count() + by));
            }
        }

        /** A non-resumable failure of a live actor, as its supervisor handles it. */
        void fail(String path) {
            Expected e = live.get(path);
            String parent = shape.parents.get(path);
            if (e.restarts() >= MAX_RESTARTS) {
                remove(path);
                if (parent != null) {
                    fail(parent); // the supervisor escalates with the same exception
                }
                return;
            }
            restarts++;
            for (String child : shape.children.get(path)) {
                remove(child);
                start(child);
            }
            live.put(path, new Expected(e.restarts() + 1, 0));
        }
    }

    @Test
    void randomTreesMatchTheModelAfterEveryStep() {
        long base = Long.getLong("spinoff.test.seed", 0x5eed_2024L);
        for (int i = 0; i < TREES; i++) {
            runTree(base + i);
        }
    }

    private void runTree(long seed) {
        Random random = new Random(seed);
        Shape shape = new Shape();
        int[] budget = {4 + random.nextInt(9)};
        int topCount = 1 + random.nextInt(2);
        for (int i = 0; i < topCount && budget[0] > 0; i++) {
            shape.tops.add(shape.grow(random, null, 0, budget));
        }
        List<String> paths = new ArrayList<>(shape.parents.keySet());
        String favourite = paths.get(random.nextInt(paths.size()));
        Model model = new Model(shape);
        List<String> history = new ArrayList<>();
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("model-" + Long.toUnsignedString(seed, 36))
                .guardianStrategy(STRATEGY).build()) {
            for (SupSpec top : shape.tops) {
                SupActor.spawn(system, journal, top);
                model.start("/user/" + top.name());
            }
            check(system, journal, model, seed, history);
            for (int step = 0; step < STEPS && !model.live.isEmpty(); step++) {
                List<String> alive = new ArrayList<>(model.live.keySet());
                String target = random.nextInt(2) == 0 && model.live.containsKey(favourite)
                        ? favourite : alive.get(random.nextInt(alive.size()));
                SupWorker proxy = worker(system, target);
                int roll = random.nextInt(100);
                if (roll < 30) {
                    int by = 1 + random.nextInt(3);
                    history.add("increment " + target + " x" + by);
                    for (int k = 0; k < by; k++) {
                        proxy.increment();
                    }
                    model.increment(target, by);
                } else if (roll < 45) {
                    history.add("resumable failure " + target);
                    proxy.fail(new SupFailure.Resumable("seed " + seed + " step " + step));
                } else if (roll < 90) {
                    int burst = 1 + random.nextInt(5);
                    history.add("failure burst " + target + " x" + burst);
                    int generation = model.generation.get(target);
                    for (int k = 0; k < burst; k++) {
                        proxy.fail(new SupFailure("seed " + seed + " step " + step + " #" + k));
                        // Later failures of the burst reach the same cell only while it lives.
                        if (model.live.containsKey(target) && model.generation.get(target) == generation) {
                            model.fail(target);
                        }
                    }
                } else {
                    history.add("stop " + target);
                    system.stop(proxy);
                    model.remove(target);
                }
                check(system, journal, model, seed, history);
            }
            for (SupSpec top : shape.tops) {
                String path = "/user/" + top.name();
                if (cell(system, path) != null) {
                    SupTestKit.stopAndAwait(system, worker(system, path));
                }
            }
            assertEquals(0, system.metrics().liveActors(), "seed " + seed);
        }
    }

    /** Waits until the system matches the model, then checks the counters too. */
    private static void check(ActorSystem system, SupJournal journal, Model model, long seed, List<String> history) {
        Map<String, Expected> expected = new TreeMap<>(model.live);
        Map<String, Expected>[] last = new Map[1];
        SupTestKit.eventually(() -> "seed " + seed + " (rerun with -Dspinoff.test.seed=" + seed + ")"
                        + "\n  steps: " + history
                        + "\n  expected: " + expected
                        + "\n  observed: " + last[0]
                        + "\n  liveActors: " + system.metrics().liveActors(),
                () -> {
                    last[0] = observe(system, journal, model.shape);
                    return Objects.equals(expected, last[0]) && system.metrics().liveActors() == expected.size();
                });
        assertEquals(model.restarts, system.metrics().restarts(), "restarts of seed " + seed + " after " + history);
    }

    private static Map<String, Expected> observe(ActorSystem system, SupJournal journal, Shape shape) {
        Map<String, CompletableFuture<Object>> replies = new LinkedHashMap<>();
        for (String path : shape.parents.keySet()) {
            if (cell(system, path) != null) {
                replies.put(path, worker(system, path)
                        .run(actor -> new Expected(journal.restarts(path), actor.count)).toCompletableFuture());
            }
        }
        Map<String, Expected> observed = new TreeMap<>();
        for (Map.Entry<String, CompletableFuture<Object>> reply : replies.entrySet()) {
            try {
                observed.put(reply.getKey(), (Expected) reply.getValue().get(1, TimeUnit.SECONDS));
            } catch (Exception e) {
                observed.put(reply.getKey(), null); // stopped meanwhile, or not there yet: look again
            }
        }
        return observed;
    }
}
