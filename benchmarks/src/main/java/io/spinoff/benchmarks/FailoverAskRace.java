package io.spinoff.benchmarks;

import io.spinoff.api.AskTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Not a benchmark: a reproduction, with {@link FailoverBenchmark}'s setup, of what becomes of an
 * ask to an entity of a member killed with SIGKILL. For each kill, one ask sent right after the
 * kill (it fails with {@code NodeUnreachableException} when the member is removed, as documented),
 * then, as soon as it has failed, a second ask to the same entity. The second ask is expected to be
 * answered from the survivor once the entity is activated there, or buffered until then; this
 * prints each outcome and counts the second asks that were instead sent to the removed member and
 * ended in an {@link AskTimeoutException}.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.spinoff.benchmarks.FailoverAskRace [KILLS]} (default 12)
 */
public final class FailoverAskRace {

    private FailoverAskRace() {}

    /**
     * @param args the number of kills
     * @throws Exception if the cluster cannot be set up
     */
    public static void main(String[] args) throws Exception {
        int kills = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        FailoverBenchmark.Members members = new FailoverBenchmark.Members();
        int lost = 0;
        try {
            members.setUp();
            for (int i = 1; i <= kills; i++) {
                members.startMember();
                String victim = members.childNode;
                members.killedAt = System.nanoTime();
                members.child.destroyForcibly();
                try {
                    String node = members.entity.node().toCompletableFuture().get(20, TimeUnit.SECONDS);
                    System.out.printf("kill %d: first ask answered by %s after %s%n", i, node, since(members));
                } catch (ExecutionException e) {
                    System.out.printf("kill %d: first ask failed after %s: %s%n", i, since(members), e.getCause());
                }
                try {
                    String node = members.entity.node().toCompletableFuture().get(20, TimeUnit.SECONDS);
                    System.out.printf("kill %d: second ask answered by %s after %s%n", i, node, since(members));
                } catch (ExecutionException e) {
                    System.out.printf("kill %d: second ask failed after %s: %s%n", i, since(members), e.getCause());
                    if (e.getCause() instanceof AskTimeoutException && e.getCause().getMessage().contains(victim)) {
                        lost++;
                    }
                }
                members.answeredAt = System.nanoTime();
                members.reapMember();
            }
            System.out.println(lost + " of " + kills + " second asks went to the removed member and timed out");
        } finally {
            members.tearDown();
            System.exit(0);
        }
    }

    private static String since(FailoverBenchmark.Members members) {
        return String.format("%.0f ms", (System.nanoTime() - members.killedAt) / 1e6);
    }
}
